"""Toy functions (and their derivatives) that lessons and test cells pass to graded code.

They live here, importable by name, so that a check which passes one of them can be
recorded and replayed (see coursekit.replay). None of them is a graded exercise.
"""
import functools

import numpy as np


def triple(a):
    """f(a) = 3a, the slides' nudge example.

    Used by: 01 lesson"""
    return 3.0 * a


def square(x):
    """f(x) = x^2.

    Used by: 01 test_numerical_derivative_arrays, 01 lesson, 02 test_gradient_descent, 02 lesson"""
    return x ** 2


def d_square(x):
    """f'(x) = 2x.

    Used by: 02 test_gradient_descent, 02 lesson"""
    return 2.0 * x


def cube(x):
    """f(x) = x^3.

    Used by: 01 test_numerical_derivative, 01 test_numerical_derivative_arrays, 01 lesson, 02 test_gradient_descent"""
    return x ** 3


def d_cube(x):
    """f'(x) = 3x^2.

    Used by: 01 test_numerical_derivative, 01 lesson, 02 test_gradient_descent"""
    return 3.0 * x ** 2


def sine(x):
    """f(x) = sin x.

    Used by: 01 test_numerical_derivative, 01 test_numerical_derivative_arrays, 01 lesson"""
    return np.sin(x)


def d_sine(x):
    """f'(x) = cos x.

    Used by: 01 lesson"""
    return np.cos(x)


def log1pexp(x, a=1.0):
    """f(x) = log(1 + e^(a x)), computed without overflow.

    Used by: 01 test_numerical_derivative, 01 test_numerical_derivative_arrays, 01 lesson"""
    return np.logaddexp(0.0, a * x)


def two_minima(x):
    """A non-convex function with two minima: f(x) = x^4 - 3x^2 + x.

    Used by: 01 test_numerical_derivative, 01 test_numerical_derivative_arrays, 01 lesson, 02 lesson"""
    return x ** 4 - 3.0 * x ** 2 + x


def d_two_minima(x):
    """f'(x) = 4x^3 - 6x + 1.

    Used by: 01 test_numerical_derivative, 01 test_numerical_derivative_arrays, 02 lesson"""
    return 4.0 * x ** 3 - 6.0 * x + 1.0


def bowl(p):
    """An elongated bowl f(p) = p0^2 + 5 p1^2; p is an array whose last axis has length 2.

    Used by: 02 oracles, 02 test_gradient_descent_2d, 02 lesson"""
    p = np.asarray(p, dtype=np.float64)
    return p[..., 0] ** 2 + 5.0 * p[..., 1] ** 2


def d_bowl(p):
    """Gradient of `bowl`: (2 p0, 10 p1).

    Used by: 02 test_gradient_descent_2d, 02 lesson"""
    p = np.asarray(p, dtype=np.float64)
    return np.stack([2.0 * p[..., 0], 10.0 * p[..., 1]], axis=-1)


def absolute(x):
    """f(x) = |x|: convex, but not differentiable at 0.

    Used by: 02 lesson"""
    return np.abs(x)


def d_absolute(x):
    """The slope of |x|: sign(x), i.e. -1, +1, and 0 at x = 0 (a subgradient there).

    Used by: 02 lesson"""
    return np.sign(x)


# ---------------------------------------------------------------- models passed to cross_validate (07)

def _powers(X, degree):
    # the features x, x^2, ..., x^degree of every row of X (n_x, m), stacked: shape (degree * n_x, m)
    X = np.asarray(X, dtype=np.float64)
    return np.vstack([np.empty((0, X.shape[1]))] + [X ** p for p in range(1, int(degree) + 1)])


def fit_polynomial(X, Y, degree=1):
    """Least-squares fit of Y (1, m) by a polynomial of `degree` in each feature of X (n_x, m), with an
    intercept (degree 1: linear regression; degree 0: the mean). Returns {"degree", "w", "b"}.

    Used by: 07 test_cross_validate, 07 test_learning_curve, 07 lesson"""
    Y = np.asarray(Y, dtype=np.float64).reshape(1, -1)
    features = _powers(X, degree)
    design = np.vstack([features, np.ones((1, features.shape[1]))]).T      # (m, degree * n_x + 1)
    coef = np.linalg.lstsq(design, Y.T, rcond=None)[0]                        # (degree * n_x + 1, 1)
    return {"degree": int(degree), "w": coef[:-1], "b": float(coef[-1, 0])}


def polynomial_predict(model, X):
    """Predictions (1, m) of a fit_polynomial model on X (n_x, m).

    Used by: 07 lesson"""
    return model["w"].T @ _powers(X, model["degree"]) + model["b"]


def mse_score(model, X, Y):
    """Mean squared error of a fit_polynomial model on X (n_x, m), Y (1, m): a float, lower is better.

    Used by: 07 test_cross_validate, 07 test_learning_curve, 07 lesson"""
    return float(np.mean((np.asarray(Y, dtype=np.float64).reshape(1, -1) - polynomial_predict(model, X)) ** 2))


def r2_score(model, X, Y):
    """R^2 = 1 - (sum of squared residuals) / (sum of squares around the mean of Y): a float, 1 is perfect.

    Used by: 07 test_cross_validate, 07 test_learning_curve"""
    Y = np.asarray(Y, dtype=np.float64).reshape(1, -1)
    residual = np.sum((Y - polynomial_predict(model, X)) ** 2)
    return float(1.0 - residual / np.sum((Y - Y.mean()) ** 2))


# ---------------------------------------------------------------- a step passed to train (06)

def network_step(parameters, X_batch, Y_batch):
    """One forward and backward pass of the course's network on a mini-batch, by torch autograd (float64).

    parameters: dict "W1", "b1", ..., "WL", "bL" with W{l} of shape (n_l, n_{l-1}) and b{l} of shape
                (n_l, 1) (left unchanged); relu hidden layers, sigmoid output (L = 1: logistic regression).
    X_batch:    array of shape (n_x, b), one example per column.
    Y_batch:    array of shape (1, b), labels 0 or 1.
    Returns (cost, grads): the mean binary cross-entropy on the batch (a float) and its gradients, a dict
    "dW1", "db1", ... of numpy arrays shaped like the parameters (the layout of 04's model_backward).

    Used by: 06 test_train, 06 lesson
    """
    import torch
    import torch.nn.functional as TF

    tensors = {k: torch.tensor(np.array(v, dtype=np.float64), requires_grad=True) for k, v in parameters.items()}
    L = sum(1 for k in parameters if k.startswith("W"))
    A = torch.tensor(np.array(X_batch, dtype=np.float64))
    for l in range(1, L + 1):
        Z = tensors[f"W{l}"] @ A + tensors[f"b{l}"]
        A = torch.relu(Z) if l < L else Z
    cost = TF.binary_cross_entropy_with_logits(A, torch.tensor(np.array(Y_batch, dtype=np.float64)))
    cost.backward()
    return cost.item(), {f"d{k}": t.grad.numpy() for k, t in tensors.items()}


# ---------------------------------------------------------------- scores and models passed to searches (11)

TEXTBOOK_GRID = {  # the textbook's grid-search table (assignment 11): (C, alpha) -> score
    (0.1, 0.1): 0.698, (0.1, 0.2): 0.692, (0.1, 0.3): 0.688, (0.1, 0.4): 0.675,
    (0.2, 0.1): 0.706, (0.2, 0.2): 0.705, (0.2, 0.3): 0.704, (0.2, 0.4): 0.701,
    (0.3, 0.1): 0.721, (0.3, 0.2): 0.726, (0.3, 0.3): 0.713, (0.3, 0.4): 0.703,
    (0.4, 0.1): 0.699, (0.4, 0.2): 0.702, (0.4, 0.3): 0.698, (0.4, 0.4): 0.702,
    (0.5, 0.1): 0.701, (0.5, 0.2): 0.703, (0.5, 0.3): 0.697, (0.5, 0.4): 0.696,
}


def textbook_grid_score(params):
    """The score the textbook's table gives params = {"C": ..., "alpha": ...} (C in 0.1..0.5, alpha in
    0.1..0.4, steps of 0.1): a lookup, no model is trained. KeyError for a pair outside the table.

    Used by: 11 test_grid_search, 11 lesson"""
    key = (round(float(params["C"]), 10), round(float(params["alpha"]), 10))
    if key not in TEXTBOOK_GRID:
        raise KeyError(f"the textbook's table has no score for C = {params['C']!r}, alpha = {params['alpha']!r}")
    return TEXTBOOK_GRID[key]


def marked_score(params, marked):
    """1.0 for the candidates that match one of the dicts in `marked` (every key of that dict equal), 0.0 for
    every other one: the marked candidates tie for the best score. functools.partial(marked_score, marked=[...]).

    Used by: 11 test_grid_search"""
    return 1.0 if any(all(params[k] == v for k, v in m.items()) for m in marked) else 0.0


def peak_score(params, peak, log_names=()):
    """A smooth score, 1.0 at `peak` (dict name -> number): 1 - the squared distance to the peak, measured on a
    log10 scale for the names in log_names. Names that are not in peak do not matter.

    Used by: 11 test_grid_search, 11 test_random_search"""
    s = 1.0
    for name, target in peak.items():
        x = float(params[name])
        if name in log_names:
            x, target = np.log10(x), np.log10(target)
        s -= (x - target) ** 2
    return float(s)


def scaled_svc(C=1.0, gamma="scale"):
    """A fresh model: make_pipeline(StandardScaler(), SVC(C=C, gamma=gamma)); the scaler is fitted on the
    training part only, each time the pipeline is fitted.

    Used by: 11 test_cv_grid_search, 11 lesson"""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC
    return make_pipeline(StandardScaler(), SVC(C=C, gamma=gamma))


# ---------------------------------------------------------------- assignment 12: torch inputs made fresh
# Factories for ck.Build: each call returns NEW objects (a model, DataLoaders, a loss, an optimizer
# bound to that model), so a check can be replayed from the factory's name and keyword arguments.
# torch is imported inside the functions: importing coursekit.functions stays fast.
# None of them is a graded answer: the models are fixed small nn.Sequential, never a general build_mlp.


@functools.cache
def _digits_arrays():
    from sklearn.datasets import load_digits

    bunch = load_digits()
    return bunch.data.astype(np.float64), bunch.target.astype(np.int64)


def digits_split(seed=0, val_fraction=0.2, test_fraction=0.2):
    """scikit-learn's digits (1797 images of 8x8 pixels, labels 0-9), split with assignment 07's recipe
    (perm = np.random.default_rng(seed).permutation(m); the first int(test_fraction * m) for testing, the
    next int(val_fraction * m) for validation, the rest for training) and standardized with the training
    set's mean and standard deviation per pixel (1 where a pixel is constant). Rows are examples (torch's
    layout): returns {"train": (X, y), "val": (X, y), "test": (X, y)}, X float64 (m_part, 64), y int64.

    Used by: no notebook cell; through digits_loader, digits_rows"""
    X, y = _digits_arrays()
    m = len(y)
    n_test, n_val = int(test_fraction * m), int(val_fraction * m)
    perm = np.random.default_rng(seed).permutation(m)
    parts = {"test": perm[:n_test], "val": perm[n_test:n_test + n_val], "train": perm[n_test + n_val:]}
    mean, std = X[parts["train"]].mean(axis=0), X[parts["train"]].std(axis=0)
    std[std == 0] = 1.0
    return {k: ((X[idx] - mean) / std, y[idx].copy()) for k, idx in parts.items()}


def digits_loader(seed=0, part="train", n=None, batch_size=16, shuffle=True):
    """A DataLoader over the first n examples of a digits_split(seed) part, float64 inputs, int64 labels,
    shuffled if shuffle=True. It has its own torch.Generator seeded with `seed` even when it does not shuffle:
    a DataLoader draws a number from its generator (else from torch's global one) every time it is iterated,
    and the global generator must be left to the dropout layers.

    Used by: no notebook cell; through checkpoint_setup, epoch_setup, evaluation_setup, fit_setup, small_model"""
    import torch

    X, y = digits_split(seed)[part]
    n = len(y) if n is None else int(n)
    data = torch.utils.data.TensorDataset(torch.tensor(X[:n]), torch.tensor(y[:n]))
    generator = torch.Generator().manual_seed(int(seed))
    return torch.utils.data.DataLoader(data, batch_size=int(batch_size), shuffle=bool(shuffle), generator=generator)


def small_model(seed=0, kind="plain", hidden=16, warm=False, mode="train"):
    """A fixed small float64 classifier of the 64 digit pixels, torch's default initialisation drawn after
    torch.manual_seed(seed): "plain" Linear(64, h) ReLU Linear(h, 10); "dropout" Linear(64, h) ReLU
    Dropout(0.5) Linear(h, 10); "batchnorm" Linear(64, h) BatchNorm1d(h) ReLU Linear(h, 10); "deep"
    Linear(64, h) ReLU Linear(h, h) ReLU Linear(h, 10). warm=True: first trained for two epochs (SGD, learning
    rate 0.3, batches of 20) on the first 200 training digits of digits_split(seed), so that its accuracy and
    its batch-norm running statistics are those of a model in use. mode: the model is returned in training
    mode ("train", as training leaves it) or in evaluation mode ("eval", as an evaluation leaves it).

    Used by: 12 test_logits_on"""
    import torch
    from torch import nn

    torch.manual_seed(int(seed))
    layers = {"plain": lambda: [nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10)],
              "dropout": lambda: [nn.Linear(64, hidden), nn.ReLU(), nn.Dropout(0.5), nn.Linear(hidden, 10)],
              "batchnorm": lambda: [nn.Linear(64, hidden), nn.BatchNorm1d(hidden), nn.ReLU(), nn.Linear(hidden, 10)],
              "deep": lambda: [nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                               nn.Linear(hidden, 10)]}[kind]()
    model = nn.Sequential(*layers).double()
    if warm:
        optimizer = torch.optim.SGD(model.parameters(), lr=0.3)
        model.train()
        for _ in range(2):
            for X, y in digits_loader(seed, "train", 200, 20):
                optimizer.zero_grad()
                nn.functional.cross_entropy(model(X), y).backward()
                optimizer.step()
    return model.train(mode == "train")


def binary_mlp(seed=0, kind="plain"):
    """A fixed small float64 torch twin of the course's numpy network (03-04) on 64 inputs with one output (a
    logit), default initialisation after torch.manual_seed(seed): "plain" 64-8-4-1 (Linear, ReLU, Linear,
    ReLU, Linear); "deep" 64-10-6-3-1; "wide" 64-16-1; "extras" 64-8-4-1 with BatchNorm1d after each hidden
    Linear and Dropout(0.25) after each ReLU.

    Used by: 12 test_load_numpy_parameters"""
    import torch
    from torch import nn

    torch.manual_seed(int(seed))
    dims = {"plain": [64, 8, 4, 1], "deep": [64, 10, 6, 3, 1], "wide": [64, 16, 1], "extras": [64, 8, 4, 1]}[kind]
    layers = []
    for n_in, n_out in zip(dims[:-2], dims[1:-1]):
        layers.append(nn.Linear(n_in, n_out))
        layers += [nn.BatchNorm1d(n_out), nn.ReLU(), nn.Dropout(0.25)] if kind == "extras" else [nn.ReLU()]
    layers.append(nn.Linear(dims[-2], dims[-1]))
    return nn.Sequential(*layers).double()


def cross_entropy(watch_grad=False):
    """nn.CrossEntropyLoss(). watch_grad=True (for the tests of an evaluation): it raises CheckFailed when the
    logits it receives are recorded for backpropagation, i.e. when the model ran outside torch.no_grad().

    Used by: no notebook cell; through epoch_setup, evaluation_setup, fit_setup"""
    from torch import nn

    loss = nn.CrossEntropyLoss()
    if watch_grad:
        def refuse_recorded_logits(module, args):
            if args and getattr(args[0], "requires_grad", False):
                from .checks import CheckFailed
                raise CheckFailed("an evaluation must not record gradients, but the model's outputs reached the "
                                  "loss with requires_grad=True: run the loop under torch.no_grad()")
        loss.register_forward_pre_hook(refuse_recorded_logits)
    return loss


def optimizer_for(model, kind="sgd", lr=0.1):
    """torch.optim.SGD(model.parameters(), lr) or torch.optim.Adam(model.parameters(), lr).

    Used by: no notebook cell; through checkpoint_setup, epoch_setup, fit_setup"""
    import torch

    return {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}[kind](model.parameters(), lr=lr)


def epoch_setup(seed=0, n=50, batch_size=16, kind="plain", optimizer="sgd", lr=0.1, warm=False):
    """The keyword arguments of one training epoch: {"model", "loader", "loss_fn", "optimizer"}, a
    small_model(seed, kind) trained on the first n training digits of digits_split(seed) in shuffled
    batches of batch_size (the last one smaller when batch_size does not divide n). warm=True: the model was
    trained a little before and is handed over in evaluation mode (as an evaluation leaves it).

    Used by: 12 test_train_one_epoch"""
    model = small_model(seed, kind, warm=warm, mode="eval" if warm else "train")
    return {"model": model, "loader": digits_loader(seed, "train", n, batch_size),
            "loss_fn": cross_entropy(), "optimizer": optimizer_for(model, optimizer, lr)}


def evaluation_setup(seed=0, n=50, batch_size=16, kind="plain", warm=True):
    """The keyword arguments of one evaluation: {"model", "loader", "loss_fn"}: a small_model(seed, kind,
    warm) handed over in training mode (as training leaves it), the first n validation digits in batches of
    batch_size in order, and a cross_entropy that refuses logits recorded for backpropagation (watch_grad=True).

    Used by: 12 test_evaluate"""
    return {"model": small_model(seed, kind, warm=warm, mode="train"),
            "loader": digits_loader(seed, "val", n, batch_size, False),
            "loss_fn": cross_entropy(watch_grad=True)}


def fit_setup(seed=0, n_train=60, n_val=40, batch_size=16, kind="plain", optimizer="sgd", lr=0.1,
              max_epochs=10, patience=2):
    """The keyword arguments of fit: {"model", "train_loader", "val_loader", "loss_fn", "optimizer",
    "max_epochs", "patience"}: a small_model(seed, kind) trained on the first n_train training digits
    (shuffled batches) and validated on the first n_val validation digits (in order).

    Used by: 12 test_fit"""
    model = small_model(seed, kind)
    return {"model": model, "train_loader": digits_loader(seed, "train", n_train, batch_size),
            "val_loader": digits_loader(seed, "val", n_val, batch_size, False), "loss_fn": cross_entropy(),
            "optimizer": optimizer_for(model, optimizer, lr), "max_epochs": int(max_epochs),
            "patience": int(patience)}


# ---------------------------------------------------------------- assignment 12: tensors, devices, checkpoints

def normal_rows(seed=0, m=4, n=5, dtype="float64"):
    """A tensor (m, n) of standard normal draws, np.random.default_rng(seed).standard_normal((m, n)), of the given
    dtype ("float64", "float32"), on the CPU: m examples as rows. Used by: 12 test_MLP"""
    import torch

    return torch.tensor(np.random.default_rng(seed).standard_normal((m, n)), dtype=getattr(torch, dtype))


def device(name="cpu"):
    """torch.device(name): a device given as a torch.device rather than a string. Used by: 12 test_logits_on"""
    import torch

    return torch.device(name)


def digits_rows(seed=0, part="val", n=5, dtype="float64"):
    """The first n examples of a digits_split(seed) part as a tensor (n, 64) of the given dtype, one example per
    row, on the CPU. Used by: 12 test_MLP, 12 test_logits_on"""
    import torch

    X, _ = digits_split(seed)[part]
    return torch.tensor(X[:n], dtype=getattr(torch, dtype))


def checkpoint_setup(seed=0, kind="plain", optimizer="adam", lr=0.01, steps=3, f="buffer"):
    """The keyword arguments of a checkpoint round trip: {"model", "optimizer", "new_model", "new_optimizer", "f"}.
    model: a small_model(seed, kind) trained `steps` steps (batches of 16 of digits_split(seed)'s training set) by
    optimizer_for(model, optimizer, lr) ("adam", "sgd" or "momentum": SGD with momentum 0.9), so that the optimizer
    holds state; new_model and new_optimizer: what a restarted program makes, small_model(seed + 100, kind) and
    the same kind of optimizer, fresh. f: an empty io.BytesIO ("buffer") or the path of a file in a new temporary
    folder ("path"), removed when the process exits. Used by: 12 test_save_and_restore"""
    import atexit
    import io
    import shutil
    import tempfile

    import torch
    from torch import nn

    def make_optimizer(m):
        if optimizer == "momentum":
            return torch.optim.SGD(m.parameters(), lr=lr, momentum=0.9)
        return optimizer_for(m, optimizer, lr)

    model = small_model(seed, kind)
    opt = make_optimizer(model)
    batches = iter(digits_loader(seed, "train", 16 * steps, 16))
    for _ in range(steps):
        X, y = next(batches)
        opt.zero_grad()
        nn.functional.cross_entropy(model(X), y).backward()
        opt.step()
    new_model = small_model(seed + 100, kind)
    if f == "buffer":
        target = io.BytesIO()
    else:  # a folder of its own, removed when the process ends
        folder = tempfile.mkdtemp(prefix="coursekit-checkpoint-")
        atexit.register(shutil.rmtree, folder, True)
        target = f"{folder}/checkpoint.pt"
    return {"model": model, "optimizer": opt, "new_model": new_model, "new_optimizer": make_optimizer(new_model),
            "f": target}
