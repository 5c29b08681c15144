"""PyTorch side of the ebm benchmark: builds the reference nets and times one Langevin step or one
MLE parameter-gradient step on request. Protocol: one JSON object per line on stdin
({"net": ..., "op": "langevin" | "param"} or {"op": "info"}), one JSON reply per line on stdout."""
import json, os, resource, sys, time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "2")))
torch.manual_seed(0)

STEP, REF_SIGMA = 0.01, 1.0


def lrelu():
    return nn.LeakyReLU(0.2)


def conv_net(conv, cin, size, specs):
    """Strided convs with TF-'same' output sizes (ceil(n / s)), as the NetSpecs use."""
    layers = []
    for cout, k, s in specs:
        ks = k if isinstance(k, tuple) else (k,) * len(size)
        out = [-(-n // s) for n in size]
        pad = tuple(-(-((o - 1) * s + kk - n) // 2) for o, kk, n in zip(out, ks, size))
        layers += [conv(cin, cout, ks, stride=s, padding=pad), lrelu()]
        cin, size = cout, out
    flat = cin
    for n in size:
        flat *= n
    layers += [nn.Flatten(), nn.Linear(flat, 1)]
    return nn.Sequential(*layers)


class PointNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.local = nn.Sequential(nn.Linear(3, 64), lrelu(), nn.Linear(64, 128), lrelu(), nn.Linear(128, 256), lrelu())
        self.head = nn.Sequential(nn.Linear(256, 128), lrelu(), nn.Linear(128, 1))

    def forward(self, x):
        return self.head(self.local(x).max(dim=1).values)


NETS = {
    "image": (lambda: conv_net(nn.Conv2d, 3, [64, 64], [(64, 5, 2), (128, 3, 2), (256, 3, 2)]), (16, 3, 64, 64)),
    "voxel": (lambda: conv_net(nn.Conv3d, 1, [32, 32, 32], [(64, 4, 2), (128, 3, 2), (256, 3, 2)]), (16, 1, 32, 32, 32)),
    "video": (lambda: conv_net(nn.Conv3d, 3, [16, 64, 64], [(64, (3, 5, 5), 2), (128, 3, 2), (256, 3, 2)]), (4, 3, 16, 64, 64)),
    "pointnet": (lambda: PointNet(), (16, 2048, 3)),
}
cache = {}


def setup(name):
    if name not in cache:
        make, shape = NETS[name]
        net = make()
        cache[name] = (net, torch.randn(shape), torch.randn(shape))
    return cache[name]


def energy(net, x):
    # U = -f(x) + |x|^2 / (2 sigma^2), summed over the batch (the chains are independent)
    return -net(x).sum() + (x * x).sum() / (2 * REF_SIGMA**2)


def langevin(name):
    net, x, _ = setup(name)
    x = x.detach().requires_grad_(True)
    t = time.perf_counter()
    (g,) = torch.autograd.grad(energy(net, x), x)
    with torch.no_grad():
        x2 = x - 0.5 * STEP * STEP * g + STEP * torch.randn_like(x)
    return (time.perf_counter() - t) * 1000, float(x2.abs().mean())


def param(name):
    net, obs, syn = setup(name)
    t = time.perf_counter()
    loss = -net(obs).mean() + net(syn).mean()  # mean U(obs) - mean U(syn) for U = -f
    grads = torch.autograd.grad(loss, list(net.parameters()))
    return (time.perf_counter() - t) * 1000, float(sum(g.abs().sum() for g in grads))


def blas():
    a = torch.randn(256, 256)
    (a @ a).sum()
    with open("/proc/self/maps") as f:
        libs = {os.path.basename(l.split()[-1]) for l in f if "blas" in l}
    return ", ".join(sorted(libs)) or "unknown"


for line in sys.stdin:
    req = json.loads(line)
    if req["op"] == "info":
        out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas()}
    else:
        ms, check = (langevin if req["op"] == "langevin" else param)(req["net"])
        out = {"ms": ms, "check": check, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
