"""A child process that ends when its parent does, so a killed worker leaves no orphans.

A worker's spaCy processes hold a loaded model each (hundreds of MB). When the worker is
killed with SIGKILL nothing can shut them down, and they would live on as orphans. A thread
in the child watches its parent pid and exits the child once the parent is gone.

Not ``prctl(PR_SET_PDEATHSIG)``: Linux sends that signal when the parent *thread* that
started the child exits, and a process pool may start its processes from any thread; the
watch also works on every POSIX system.
"""

from __future__ import annotations

import os
import threading
import time

#: Seconds between looks at the parent pid: how long an orphan can outlive its parent.
INTERVAL = 0.5


def exit_with_parent(parent_pid: int, interval: float = INTERVAL) -> threading.Thread:
    """In a child: exit this process once ``parent_pid`` is no longer its parent."""

    def watch() -> None:
        # An orphan is re-parented (to init or a subreaper), so its parent pid changes.
        while os.getppid() == parent_pid:
            time.sleep(interval)
        os._exit(1)  # nothing to save; atexit handlers could wait on the dead parent

    thread = threading.Thread(target=watch, name="parent-watch", daemon=True)
    thread.start()
    return thread
