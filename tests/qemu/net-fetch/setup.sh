# Runs in HOST_WWW: 10 MiB of random bytes, its SHA-256, and a small text file.
head -c 10485760 /dev/urandom > file
sha256sum file | cut -d' ' -f1 > file.sha256
printf 'hello over TCP\n' > hello.txt
