# Runs in HOST_WWW: the 64 MiB the guest fetches (random, as the Linux peer's).
head -c 67108864 /dev/urandom > blob
