"""A sweep takes a case id as it takes a built-in id: the run store hashes the packaged file."""

from __future__ import annotations

import hashlib

from pactlab.model.loading import builtin_path, case_ids
from pactlab.sweep.run import content_hash, scenario_ref


def test_case_ids_resolve_to_their_packaged_file():
    cid = case_ids()[0]
    expected = hashlib.sha256(builtin_path(cid).read_bytes()).hexdigest()
    assert content_hash(scenario_ref(cid), "analyze") == expected
