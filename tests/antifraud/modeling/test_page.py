"""The registry page: police read it; an analyst activates (the running engine follows) and rolls back."""

from __future__ import annotations

from pingan.antifraud.modeling import registry
from pingan.antifraud.screening.runtime.current import current_runtime
from pingan.core.db import unit_of_work


def test_analyst_activates_and_rolls_back_from_the_page(live, models_dir, make_artefact):
    with unit_of_work() as db:
        registry.register(db, make_artefact("page-model", note="更好的召回率"))
    analyst = live.as_user("analyst")
    page = analyst.get("/antifraud/models")
    assert page.status_code == 200
    assert "page-model" in page.text and registry.default_model_id() in page.text

    assert live.as_user("duty1").post("/antifraud/models/page-model/activate").status_code == 403
    done = analyst.post("/antifraud/models/page-model/activate", follow_redirects=False)
    assert done.status_code == 303
    assert "启用中" in analyst.get("/antifraud/models").text
    assert current_runtime().engine.model.version == "page-model"

    assert analyst.post("/antifraud/models/rollback", follow_redirects=False).status_code == 303
    with unit_of_work() as db:
        assert registry.active_row(db) is None
    assert current_runtime().engine.model.version == registry.default_model_id()


def test_choosing_a_challenger_on_the_page_scores_it_at_once(live, models_dir, make_artefact):
    with unit_of_work() as db:
        registry.register(db, make_artefact("page-challenger"))
    analyst = live.as_user("analyst")
    assert analyst.post("/antifraud/models/page-challenger/shadow", follow_redirects=False).status_code == 303
    assert current_runtime().shadow_model.version == "page-challenger"
    assert analyst.post("/antifraud/models/none/shadow", follow_redirects=False).status_code == 303
    assert current_runtime().shadow_model is None
