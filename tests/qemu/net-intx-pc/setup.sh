# Runs in HOST_WWW: 2 MiB of random bytes and its SHA-256.
head -c 2097152 /dev/urandom > file
sha256sum file | cut -d' ' -f1 > file.sha256
