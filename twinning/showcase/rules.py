"""Who may do what on the showcase's student side (C11): predicates and `showcase.*`
permissions. Guardians have no account: they act through their consent link's session."""

import rules

from twinning.core.authz import is_staff
from twinning.showcase.models import PROGRAM, Entry
from twinning.youth.models import Person


@rules.predicate
def is_student(user) -> bool:  # type: ignore[no-untyped-def]
    return bool(
        getattr(user, "is_authenticated", False)
        and Person.objects.in_program(PROGRAM).filter(user_id=user.pk).exists()
    )


@rules.predicate
def is_entry_author(user, entry) -> bool:  # type: ignore[no-untyped-def]
    return bool(
        getattr(user, "is_authenticated", False)
        and isinstance(entry, Entry)
        and entry.student_id is not None
        and entry.student.user_id == user.pk
    )


rules.add_perm("showcase.create_entry", is_student)
rules.add_perm("showcase.change_entry", is_entry_author)
rules.add_perm("showcase.view_entry_media", is_entry_author | is_staff)
rules.add_perm("showcase.manage_edition", is_staff)
rules.add_perm("showcase.approve_entry", is_staff)
rules.add_perm("showcase.execute_erasure", is_staff)
