"""Running a `pressnews` child process (the demo's crawl and searches, the schedule's crawls)
so that Ctrl-C stops it cleanly.

The child runs in a process group of its own, so a Ctrl-C in the terminal reaches the parent
alone; the parent then sends the child one SIGINT (a crawl stops cleanly and records its run as
interrupted), waits for it, and sends a second one (a crawl stops at once) only if it must."""

from __future__ import annotations

import signal
import subprocess

import click

EXIT_INTERRUPTED = 130  # 128 + SIGINT
# How long an interrupted child gets to stop cleanly before it is stopped at once, then killed.
GRACE = 15.0


def run_child(cmd: list[str], *, quiet_stop: bool = False) -> int:
    """Run `cmd` and return its exit status; a KeyboardInterrupt stops it, then propagates.

    `quiet_stop`: the child's stderr is passed on only when the child was not interrupted (the
    parent says once that it stopped)."""
    proc = subprocess.Popen(
        cmd, process_group=0, stderr=subprocess.PIPE if quiet_stop else None, text=True
    )
    try:
        _out, err = proc.communicate()
    except KeyboardInterrupt:
        stop_child(proc)
        raise
    if err and proc.returncode != EXIT_INTERRUPTED:
        click.echo(err, err=True, nl=False)
    return proc.returncode


def stop_child(proc: subprocess.Popen[str]) -> None:
    for _ in range(2):  # a second SIGINT makes a crawl stop at once
        if proc.poll() is not None:
            break
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=GRACE)
            break
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            continue
    else:
        proc.kill()
        proc.communicate()
