"""
Parallel search, and Dask
=========================

TPE is sequential by nature: each candidate is chosen from the scores of the
earlier ones. With its default one worker (``n_jobs=None``), ``TPESearchCV``
proposes one candidate at a time. Give it more workers and it proposes a
small batch of candidates at a time, all cross-validated in one joblib call
(the members of a batch that are still pending count as bad results, which
keeps the batch spread out). The fits go through joblib, so any joblib backend
runs them: processes on this machine (``loky``, the default), threads, or a
Dask cluster.
"""

import os
import time

import joblib
import matplotlib.pyplot as plt
import numpy as np
from dask.distributed import Client, LocalCluster
from scipy.stats import loguniform
from sklearn.datasets import load_digits
from sklearn.svm import SVC

from sktpe import TPESearchCV

N_ITER = int(os.environ.get("SKTPE_EXAMPLE_N_ITER", 20))

X, y = load_digits(return_X_y=True)
X, y = X[::2], y[::2]  # half the data keeps the example quick
space = {"C": loguniform(1e-2, 1e3), "gamma": loguniform(1e-5, 1e-1)}


def run(label, **kwargs):
    search = TPESearchCV(SVC(), space, n_iter=N_ITER, cv=3, random_state=0,
                         **kwargs)
    t0 = time.perf_counter()
    search.fit(X, y)
    wall = time.perf_counter() - t0
    print(f"{label:<34} best {search.best_score_:.4f} in {wall:5.1f} s")
    return label, search, wall


# %%
# One worker, then two processes on this machine. The same ``random_state``
# with the same number of workers gives the same candidates on any backend.
results = [run("n_jobs=None (one worker)")]
results.append(run("n_jobs=2 (loky processes)", n_jobs=2))

# %%
# A Dask cluster
# --------------
# Here a local cluster of two workers, each with one thread, inside this
# process (``processes=False`` keeps the example quick to start). For a real
# cluster, connect a ``Client`` to its scheduler instead, e.g.
# ``Client("scheduler-address:8786")``; the rest is the same. ``n_jobs=-1``
# means every thread of the cluster.
cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                       dashboard_address=None)
with cluster, Client(cluster):
    with joblib.parallel_backend("dask"):
        results.append(run("Dask, 2 workers (n_jobs=-1)", n_jobs=-1))

# %%
# Best score so far, and wall time. With two workers, loky and Dask propose
# the same candidates (same ``random_state``, same number of workers), so
# their curves coincide; one worker proposes other ones. Parallel search pays
# off when fits are long enough to outweigh sending them to the workers (the
# fits here take milliseconds, and the loky time includes starting its worker
# processes); it also learns from fewer finished results per proposal. The
# timings are those of the machine that built this page.
fig, axes = plt.subplots(1, 2, figsize=(12, 4), layout="constrained")
for (label, search, wall), lw in zip(results, (1.5, 5, 1.5)):
    scores = search.cv_results_["mean_test_score"]
    axes[0].step(np.arange(1, len(scores) + 1), np.maximum.accumulate(scores),
                 where="post", lw=lw, alpha=0.8, label=label)
axes[0].set_xlabel("trial")
axes[0].set_ylabel("best mean CV accuracy so far")
axes[0].set_ylim(0.9, 1.0)
axes[0].legend(loc="lower right")
labels, walls = [r[0] for r in results], [r[2] for r in results]
axes[1].barh(labels, walls, color=["C0", "C1", "C2"])
axes[1].invert_yaxis()
axes[1].set_xlabel(f"wall seconds for {N_ITER} candidates")
plt.show()
