"""The EMD peer: SciPy's exact linear_sum_assignment (a C implementation of the shortest augmenting
path method) on the same clouds. Reads two float32 clouds of n points from a binary file, prints
JSON with the exact mean matched distance and the median time of `reps` solves (cost matrix
included, as ebm's emd computes its own)."""
import json, sys, time
import numpy as np
from scipy.optimize import linear_sum_assignment

path, n, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
pts = np.fromfile(path, dtype=np.float32).reshape(2, n, 3).astype(np.float64)
times = []
for _ in range(reps):
    t = time.perf_counter()
    c = np.sqrt(((pts[0][:, None, :] - pts[1][None, :, :]) ** 2).sum(-1))
    r, k = linear_sum_assignment(c)
    exact = c[r, k].mean()
    times.append((time.perf_counter() - t) * 1000)
print(json.dumps({"exact": float(exact), "ms": float(np.median(times))}))
