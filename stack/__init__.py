"""The production stack (deploy/) run on one machine, on loopback: `make stack`.

`stack.local.LocalStack` starts it (tests/stack/ and `make bench` use it); the
configuration comes from the files in deploy/, so what is tested is what is deployed.
"""
