# Runs in HOST_WWW: one file for the host server to serve.
printf 'capOS harness check\n' > check.txt
