"""One runtime registry declares every parameter; the seed and the readers use it."""

import importlib.util

from sqlalchemy import select

from webapp.lookups import all_params
from webapp.models import Parameter
from webapp.parameters import PARAMETER_DEFAULTS, value_type_of
from workflows.tiers import PARAMETER_SPECS


def test_the_registry_lives_outside_the_seed_package():
    assert importlib.util.find_spec("webapp.seed.parameters") is None


def test_every_workflow_parameter_is_declared_with_its_kind():
    for spec in PARAMETER_SPECS:
        declared = PARAMETER_DEFAULTS[spec.key]
        assert declared.value == str(spec.default)
        assert (declared.value_type == "int") is (spec.kind == "int")
    assert value_type_of("warning.tier2.approval_chain", "list") == "role_chain"
    assert value_type_of("warning.committee_recorder_roles", "list") == "roles"
    assert value_type_of("not.declared", "time") == "time"


def test_seed_and_readers_cover_every_declared_parameter(db):
    seeded = set(db.session.scalars(select(Parameter.key)))
    assert set(PARAMETER_DEFAULTS) <= seeded
    assert set(PARAMETER_DEFAULTS) <= set(all_params())
