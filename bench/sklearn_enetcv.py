#!/usr/bin/env python3
"""scikit-learn ElasticNetCV on the cached real matrix (bench/.cache/ka3d-T0.44-train-A.*.npy), the
same task as `glassbox regress --model enet --center global --cv 5`: columns standardised, grouped
5-fold CV (configuration c -> fold c mod 5), l1_ratio 0.5, 100 alphas, eps 1e-3.
usage: python3 sklearn_enetcv.py BASE   (BASE.X.npy, BASE.y.npy, BASE.groups.npy)
prints one JSON line: compute seconds (reading excluded), chosen alpha, warnings, BLAS info."""
import json, sys, time, warnings
t_start = time.perf_counter()
import numpy as np
from sklearn.linear_model import ElasticNetCV
base = sys.argv[1]
X = np.load(base + ".X.npy"); y = np.load(base + ".y.npy"); g = np.load(base + ".groups.npy")
t0 = time.perf_counter()
Xs = (X - X.mean(0)) / np.where(X.std(0) > 0, X.std(0), 1.0)
folds = [(np.where(g % 5 != f)[0], np.where(g % 5 == f)[0]) for f in range(5)]
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    m = ElasticNetCV(l1_ratio=0.5, n_alphas=100, eps=1e-3, cv=folds).fit(Xs, y)
t1 = time.perf_counter()
try:
    from threadpoolctl import threadpool_info
    blas = [{k: d.get(k) for k in ("internal_api", "num_threads", "architecture", "version")} for d in threadpool_info()]
except Exception as e:  # threadpoolctl absent
    blas = str(e)
print(json.dumps({"computeSeconds": t1 - t0, "readSeconds": t0 - t_start, "alpha": float(m.alpha_),
                  "warnings": len(w), "blas": blas}))
