"""Two sessions deciding the same check at the same moment leave exactly one decision."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from publishing import services
from publishing.models import ContentCheck, Post
from tests.publishing.factories import ALL_CHECKS, demo, submitted_post

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_checkers_deciding_at_once_leave_one_decision(demo_world):
    post = submitted_post()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(decision: str) -> None:
        try:
            checker = demo("manager")
            barrier.wait(timeout=10)
            services.post_check(actor=checker, post=post, decision=decision, comments="Too long", **ALL_CHECKS)
            outcomes.append(decision)
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(d,)) for d in ("approved", "returned")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert len(outcomes) == 2 and outcomes.count("refused") == 1, outcomes
    assert ContentCheck.objects.filter(post=post).count() == 1
    winner = ContentCheck.objects.get(post=post).decision
    assert Post.objects.get(pk=post.pk).state == winner
