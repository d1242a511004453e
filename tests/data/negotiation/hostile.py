"""User strategies that misbehave the ways a careless or hostile file can (for the CLI tests).

`Forever` loops without returning once it must propose; it first touches the file named by
the environment variable PACTLAB_TEST_STARTED (if set) so a test knows it is stuck.
"""

import os
import sys
from pathlib import Path

from pactlab.negotiation import Strategy

print("hostile.py imported")  # at import: must not reach stdout either


class _Best(Strategy):
    def propose(self, state):
        return self.view.at_least(self.view.u_max)

    def respond(self, state, offer):
        return False


class Forever(_Best):
    def propose(self, state):
        marker = os.environ.get("PACTLAB_TEST_STARTED")
        if marker:
            Path(marker).write_text(str(os.getpid()))
        while True:
            pass


class KillsWorker(_Best):
    def propose(self, state):
        os._exit(1)


class Exits(_Best):
    def propose(self, state):
        sys.exit(3)


class Chatty(_Best):
    def propose(self, state):
        print("thinking about my offer...")
        return super().propose(state)

    def respond(self, state, offer):
        print("considering", offer)
        return True
