"""`python -m proxy` is the same as `spp`."""

from proxy.cli import main

main()
