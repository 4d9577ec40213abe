"""Imports every module's tables so metadata (migrations, tests) sees them all."""


def load_all_models() -> None:
    import pingan.antifraud.models  # noqa: F401
    import pingan.mediation.models  # noqa: F401
    import pingan.platform.audit.models  # noqa: F401
    import pingan.platform.auth.models  # noqa: F401
    import pingan.platform.deadlines.models  # noqa: F401
    import pingan.platform.notify.models  # noqa: F401
    import pingan.platform.org.models  # noqa: F401

    # 一标三实 register: standard addresses, people, watch lists.
    import pingan.platform.people.models  # noqa: F401
    import pingan.platform.places.models  # noqa: F401
    import pingan.platform.watch.models  # noqa: F401
