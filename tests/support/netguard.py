"""Run `spp` with every outbound connection audited: anything but loopback is refused and logged.

Usage: python netguard.py LOGFILE spp-args...
"""

from __future__ import annotations

import ipaddress
import sys


def main() -> None:
    log_path = sys.argv[1]
    sys.argv = ["spp", *sys.argv[2:]]

    def loopback(host: object) -> bool:
        if host in (None, "localhost", b"localhost"):
            return True
        try:
            return ipaddress.ip_address(host.decode() if isinstance(host, bytes) else str(host)).is_loopback
        except ValueError:
            return False

    def hook(event: str, args: tuple) -> None:  # type: ignore[type-arg]
        host = None
        if event == "socket.connect":
            addr = args[1]
            if isinstance(addr, tuple):
                host = addr[0]
            else:
                return  # unix sockets (e.g. PostgreSQL's) stay on the machine
        elif event == "socket.getaddrinfo":
            host = args[0]
        else:
            return
        if not loopback(host):
            with open(log_path, "a") as fh:
                fh.write(f"{event} {host!r}\n")
            raise OSError(f"netguard: outbound connection to {host!r} refused")

    sys.addaudithook(hook)
    from proxy.cli import main as spp_main

    spp_main()


if __name__ == "__main__":
    main()
