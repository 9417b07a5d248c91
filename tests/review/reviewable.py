"""A small Reviewable for the engine's own tests: a proxy of the registry's Community (no
table of its own), so the engine is tested without the showcase. Its conflict keys are its
community and that community's members, like an entry's; its work is a text."""

from twinning.network.models import Community
from twinning.review.interface import Work, register_reviewable


class Study(Community):
    class Meta:
        proxy = True
        app_label = "review"

    def review_title(self) -> str:
        return f"Study no. {self.pk}"

    def review_work(self) -> Work:
        return Work(
            template="review/work_text.html",
            context={"paragraphs": [f"A study of light, number {self.pk}."]},
        )

    def conflict_keys(self) -> set[str]:
        keys = {f"community:{self.pk}"}
        keys.update(f"member:{pk}" for pk in self.members.values_list("pk", flat=True))
        return keys

    def review_eligibility(self) -> tuple[bool, str]:
        if self.population == 0:
            return False, "it is empty"
        return True, ""


register_reviewable(Study)
