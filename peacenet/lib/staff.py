"""Staff powers: the one rule for what staff may do beyond a member.

Staff powers (seeing unpublished things, editing and acting for any organisation, moderating,
hiding proposals, approving claims) belong to an active staff account in a session that
completed its second factor. ``peacenet.middleware.StaffPowersMiddleware`` reads the session
and marks ``request.user``; everything else asks :func:`has_staff_powers`. A user object that
did not come through a request (a management command, a mail job) has no staff powers: a
staff account without them is a plain member everywhere.
"""

_ATTRIBUTE = "_peacenet_second_factor"


def mark_second_factor(user, *, completed: bool) -> None:
    """Record on ``user`` whether the current session completed a second factor."""
    setattr(user, _ATTRIBUTE, bool(completed))


def has_staff_powers(user) -> bool:
    """Whether ``user`` may use staff powers now: active staff who completed a second factor."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and getattr(user, _ATTRIBUTE, False)
    )


def needs_second_factor(user) -> bool:
    """Whether ``user`` is active staff who would have staff powers after a second factor."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and not has_staff_powers(user)
    )
