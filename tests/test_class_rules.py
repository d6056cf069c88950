"""The class model without a browser: the line for training slots, seats and who may do what,
the class's limits and the teacher's seat."""

import threading
import time

import pytest

from gan_core.config.tree import ConfigError, TrainConfig
from gan_core.jobs.classroom import Classroom, ClassRules, default_max_trainings, rules_from_env, teacher_token_from_env
from gan_core.jobs.gate import SlotGate
from gan_core.jobs.seats import Seat, is_seat_token, may_control, may_delete, may_see, new_seat_token, seat_id


def _enter_in_thread(gate, ticket, slots=1, cancelled=None, places=None):
    done = threading.Event()
    result = {}

    def run():
        result["in"] = gate.enter(ticket, slots, cancelled, places.append if places is not None else None)
        done.set()

    threading.Thread(target=run, daemon=True).start()
    return done, result


def test_the_line_is_first_come_first_served_and_moves_when_a_job_leaves(wait_until):
    gate = SlotGate(1)
    assert gate.try_enter("a")
    places: list[int] = []
    b_done, b = _enter_in_thread(gate, "b", places=places)
    wait_until(lambda: gate.place("b") == 1)
    c_done, c = _enter_in_thread(gate, "c")
    wait_until(lambda: gate.place("c") == 2)
    assert not b_done.is_set() and not c_done.is_set()
    gate.leave("a")
    assert b_done.wait(5) and b["in"] and not c_done.is_set()  # b came first
    assert places[0] == 1
    gate.leave("b")
    assert c_done.wait(5) and c["in"]


def test_a_comparison_takes_two_slots_and_is_not_passed_by_later_single_jobs(wait_until):
    gate = SlotGate(2)
    assert gate.try_enter("running")
    cmp_done, _ = _enter_in_thread(gate, "comparison", slots=2)
    wait_until(lambda: gate.place("comparison") == 1)
    single_done, _ = _enter_in_thread(gate, "single")
    wait_until(lambda: gate.place("single") == 2)
    time.sleep(0.3)
    assert not single_done.is_set(), "a later job passed the comparison that waits for two slots"
    gate.leave("running")
    assert cmp_done.wait(5)
    assert gate.held() == 2 and not single_done.is_set()


def test_leaving_the_line_and_a_larger_capacity_let_the_next_in_at_once(wait_until):
    gate = SlotGate(1)
    gate.try_enter("a")
    stop = threading.Event()
    b_done, b = _enter_in_thread(gate, "b", cancelled=stop)
    c_done, c = _enter_in_thread(gate, "c")
    wait_until(lambda: gate.waiting() == 2)
    stop.set()
    assert b_done.wait(5) and b["in"] is False and gate.place("b") is None
    wait_until(lambda: gate.place("c") == 1)
    gate.set_capacity(2)  # the teacher allows one more training
    assert c_done.wait(5) and c["in"]


def test_seat_tokens_ids_and_the_class_model_table():
    token = new_seat_token()
    assert is_seat_token(token) and not is_seat_token("x" * 42) and not is_seat_token(token + "!")
    assert not is_seat_token(None) and not is_seat_token("a/" + token[2:])
    sid = seat_id(token)
    assert len(sid) == 24 and token not in sid and seat_id(token) == sid
    alice, bob, teacher = Seat("a" * 24), Seat("b" * 24), Seat("c" * 24, teacher=True)
    assert may_control(alice, alice.id) and not may_control(bob, alice.id) and may_control(teacher, alice.id)
    assert not may_control(alice, None) and may_control(teacher, None)  # a script's run is the teacher's
    assert not may_delete(bob, alice.id) and may_delete(teacher, alice.id)
    assert may_see(alice, alice.id, False) and not may_see(bob, alice.id, False) and may_see(bob, alice.id, True)
    assert not may_control(None, alice.id) and not may_see(None, alice.id, True)
    assert may_see(bob, None, False) and not may_delete(bob, None)  # the teacher's CLI run: read-only for all


def test_the_teacher_seat_needs_the_exact_token():
    room = Classroom(teacher_token="T" * 32)
    assert not room.claim_teacher("T" * 31, "s1") and not room.is_teacher("s1")
    assert not room.claim_teacher(None, "s1") and not room.claim_teacher("", "s1")
    assert room.claim_teacher("T" * 32, "s1") and room.is_teacher("s1") and not room.is_teacher("s2")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"GAN_LAB_MAX_TRAININGS": "many"}, "GAN_LAB_MAX_TRAININGS must be a whole number, got 'many'"),
        ({"GAN_LAB_MAX_TRAININGS": "0"}, "GAN_LAB_MAX_TRAININGS must be a whole number in 1..64, got 0"),
        ({"GAN_LAB_MAX_RUN_SECONDS": "inf"}, "GAN_LAB_MAX_RUN_SECONDS must be in [10, 3600] seconds, got inf"),
        ({"GAN_LAB_UPLOADS": "yes"}, "GAN_LAB_UPLOADS must be 0 or 1, got 'yes'"),
        ({"GAN_LAB_TEACHER_TOKEN": "short"}, "GAN_LAB_TEACHER_TOKEN must be 16 to 128"),
        ({"GAN_LAB_TEACHER_TOKEN": "a b" * 10}, "GAN_LAB_TEACHER_TOKEN must be 16 to 128"),
    ],
)
def test_a_bad_class_environment_value_is_one_line(env, message):
    with pytest.raises(ConfigError) as e:
        rules_from_env(env)
        teacher_token_from_env(env)
    assert str(e.value).startswith(message) and "\n" not in str(e.value)


def test_the_class_starts_from_the_environment_and_budgets_every_browser_run():
    rules = rules_from_env({"GAN_LAB_MAX_TRAININGS": "4", "GAN_LAB_MAX_RUN_SECONDS": "300", "GAN_LAB_SHOW_OTHERS": "1"})
    assert rules == ClassRules(max_trainings=4, max_run_seconds=300.0, uploads_allowed=True, students_see_others=True)
    assert teacher_token_from_env({"GAN_LAB_TEACHER_TOKEN": "t" * 20}) == "t" * 20
    assert teacher_token_from_env({}) != teacher_token_from_env({})  # generated afresh
    room = Classroom(rules)
    unlimited, note = room.budget_for(TrainConfig().with_value("run.max_seconds", 0))
    assert unlimited.run.max_seconds == 300 and "at most 5 minutes" in note
    short, note = room.budget_for(TrainConfig().with_value("run.max_seconds", 30))
    assert short.run.max_seconds == 30 and note == ""
    with pytest.raises(ConfigError, match="trainings at once must be a whole number in 1..64"):
        room.set_rules(max_trainings=0)
    assert room.rules().max_trainings == 4  # a refused change changes nothing


def test_the_default_number_of_trainings_follows_cores_and_memory():
    assert default_max_trainings(2, 24 * 2**30) == 4
    assert default_max_trainings(16, 4 * 2**30) == 2  # memory-bound
    assert default_max_trainings(1, 1 * 2**30) == 1
