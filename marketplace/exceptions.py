"""Exceptions shared by the service layers of every app."""


class TransitionNotAllowed(Exception):
    """A state change the current state (or the actor's side of the deal) does not allow; the message says why."""
