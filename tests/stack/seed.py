"""`python -m tests.stack.seed EMAIL CENTRE ROLE`, run with the stack's environment.

Creates a staff account with a known password and TOTP secret in the stack's
database (what `create-user` and the set-password page would do, without the
browser steps) and prints it as JSON for the test.
"""

from __future__ import annotations

import json
import sys

from portal import create_app
from tests.panel.factories import PASSWORD, make_user


def main(argv: list[str]) -> None:
    email, centre, role = argv
    with create_app().app_context():
        staff = make_user(email, centre, role)
    print(
        json.dumps({"id": staff.id, "email": email, "password": PASSWORD, "secret": staff.secret})
    )


if __name__ == "__main__":
    main(sys.argv[1:])
