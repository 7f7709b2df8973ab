"""The ingest is a function of independent article batches: the same batches through
dask.bag on a local cluster give exactly the incidents of the single-process run."""

import pytest
from corpus_eval import load_corpus, to_article

from app.pipeline import process_batch

pytestmark = pytest.mark.realdata


def key(processed):
    return sorted((p.article.id, tuple(sorted(i.to_dict().items()))) for p in processed for i in p.incidents)


def test_dask_bag_on_local_cluster_matches_single_process(tmp_path, monkeypatch):
    dask = pytest.importorskip("dask.bag")
    from distributed import Client, LocalCluster

    articles = [to_article(c) for c in load_corpus()[:8]]
    single = process_batch(articles)
    assert sum(len(p.incidents) for p in single) > 5
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      local_directory=str(tmp_path)) as cluster, Client(cluster):
        bag = dask.from_sequence(articles, npartitions=4)
        distributed = bag.map_partitions(process_batch).compute()
    assert key(distributed) == key(single)
