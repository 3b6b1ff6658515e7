"""Variants of assignment 12 (a network in PyTorch): correct formulations and typical mistakes."""

CORRECT = {
    "build_mlp": {
        "list_by_index": """
            def build_mlp(layer_dims, dropout=0.0, batchnorm=False):
                L = len(layer_dims) - 1
                layers = []
                for l in range(1, L):
                    layers.append(nn.Linear(layer_dims[l - 1], layer_dims[l]))
                    if batchnorm:
                        layers.append(nn.BatchNorm1d(layer_dims[l]))
                    layers.append(nn.ReLU())
                    if dropout > 0:
                        layers.append(nn.Dropout(p=dropout))
                layers.append(nn.Linear(layer_dims[L - 1], layer_dims[L]))
                return nn.Sequential(*layers)
        """,
        "add_module": """
            def build_mlp(layer_dims, dropout=0.0, batchnorm=False):
                model = nn.Sequential()
                L = len(layer_dims) - 1
                for l in range(1, L):
                    model.add_module(f"linear{l}", nn.Linear(layer_dims[l - 1], layer_dims[l]))
                    if batchnorm:
                        model.add_module(f"bn{l}", nn.BatchNorm1d(layer_dims[l]))
                    model.add_module(f"relu{l}", nn.ReLU())
                    if dropout > 0:
                        model.add_module(f"dropout{l}", nn.Dropout(dropout))
                model.add_module("output", nn.Linear(layer_dims[-2], layer_dims[-1]))
                return model
        """,
        "ordered_dict": """
            from collections import OrderedDict

            def build_mlp(layer_dims, dropout=0.0, batchnorm=False):
                named = OrderedDict()
                pairs = list(zip(layer_dims[:-1], layer_dims[1:]))
                for i, (n_in, n_out) in enumerate(pairs[:-1]):
                    named[f"fc{i}"] = nn.Linear(n_in, n_out)
                    if batchnorm:
                        named[f"norm{i}"] = nn.BatchNorm1d(n_out)
                    named[f"act{i}"] = nn.ReLU()
                    if dropout:
                        named[f"drop{i}"] = nn.Dropout(dropout)
                named["logits"] = nn.Linear(*pairs[-1])
                return nn.Sequential(named)
        """,
        "append": """
            def build_mlp(layer_dims, dropout=0.0, batchnorm=False):
                model = nn.Sequential()
                for n_in, n_out in zip(layer_dims[:-2], layer_dims[1:-1]):
                    model.append(nn.Linear(n_in, n_out))
                    model.extend([nn.BatchNorm1d(n_out)] if batchnorm else [])
                    model.append(nn.ReLU(inplace=False))
                    if dropout > 0.0:
                        model.append(nn.Dropout(dropout))
                return model.append(nn.Linear(layer_dims[-2], layer_dims[-1]))
        """,
    },
    "train_one_epoch": {
        "weighted_item": """
            def train_one_epoch(model, loader, loss_fn, optimizer):
                model.train()
                total, n = 0.0, 0
                for X, y in loader:
                    optimizer.zero_grad()
                    logits = model(X)
                    loss = loss_fn(logits, y)
                    loss.backward()
                    optimizer.step()
                    total += loss.item() * X.shape[0]
                    n += X.shape[0]
                return total / n
        """,
        "torch_stack": """
            def train_one_epoch(model, loader, loss_fn, optimizer):
                model.train()
                losses, sizes = [], []
                for X, y in loader:
                    loss = loss_fn(model(X), y)
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                    losses.append(loss.detach())
                    sizes.append(len(y))
                sizes = torch.tensor(sizes, dtype=losses[0].dtype)
                return ((torch.stack(losses) * sizes).sum() / sizes.sum()).item()
        """,
        "model_zero_grad": """
            def train_one_epoch(model, loader, loss_fn, optimizer):
                model.train(True)
                weighted = []
                for X_batch, y_batch in loader:
                    model.zero_grad(set_to_none=True)
                    loss = loss_fn(model(X_batch), y_batch)
                    loss.backward()
                    optimizer.step()
                    weighted.append((loss.item(), len(y_batch)))
                return float(sum(l * b for l, b in weighted) / sum(b for _, b in weighted))
        """,
        "dataset_length": """
            def train_one_epoch(model, loader, loss_fn, optimizer):
                model.train()
                total = 0.0
                for X, y in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(X), y)
                    loss.backward()
                    optimizer.step()
                    total += float(loss) * len(X)
                return total / len(loader.dataset)
        """,
    },
    "evaluate": {
        "loop_no_grad": """
            def evaluate(model, loader, loss_fn):
                model.eval()
                total, correct, n = 0.0, 0, 0
                with torch.no_grad():
                    for X, y in loader:
                        logits = model(X)
                        total += loss_fn(logits, y).item() * len(y)
                        correct += int((logits.argmax(1) == y).sum())
                        n += len(y)
                return total / n, correct / n
        """,
        "inference_mode": """
            def evaluate(model, loader, loss_fn):
                model.eval()
                sums = torch.zeros(3, dtype=torch.float64)
                with torch.inference_mode():
                    for X, y in loader:
                        out = model(X)
                        sums += torch.tensor([loss_fn(out, y).item() * len(y), (out.argmax(dim=-1) == y).sum().item(), len(y)],
                                             dtype=torch.float64)
                return (sums[0] / sums[2]).item(), (sums[1] / sums[2]).item()
        """,
        "concatenated": """
            @torch.no_grad()
            def evaluate(model, loader, loss_fn):
                was_training = model.training
                model.eval()
                logits, labels = [], []
                for X, y in loader:
                    logits.append(model(X))
                    labels.append(y)
                logits, labels = torch.cat(logits), torch.cat(labels)
                loss = loss_fn(logits, labels).item()
                accuracy = (logits.argmax(dim=1) == labels).float().mean().item()
                model.train(was_training)
                return loss, accuracy
        """,
    },
    "fit": {
        "deepcopy_state": """
            def fit(model, train_loader, val_loader, loss_fn, optimizer, max_epochs, patience):
                history = {"train_loss": [], "val_loss": [], "val_accuracy": []}
                best, best_epoch, best_state, bad = float("inf"), 0, None, 0
                for epoch in range(max_epochs):
                    history["train_loss"].append(train_one_epoch(model, train_loader, loss_fn, optimizer))
                    loss, acc = evaluate(model, val_loader, loss_fn)
                    history["val_loss"].append(loss)
                    history["val_accuracy"].append(acc)
                    if loss < best - 0.0:
                        best, best_epoch, bad = loss, epoch, 0
                        best_state = copy.deepcopy(model.state_dict())
                    else:
                        bad += 1
                    if bad == patience:
                        break
                model.load_state_dict(best_state)
                history["best_epoch"] = best_epoch
                return history
        """,
        "clone_dict": """
            def fit(model, train_loader, val_loader, loss_fn, optimizer, max_epochs, patience):
                train_losses, val_losses, val_accuracies = [], [], []
                best_epoch, saved = None, None
                epoch = 0
                while epoch < max_epochs:
                    train_losses.append(train_one_epoch(model, train_loader, loss_fn, optimizer))
                    loss, acc = evaluate(model, val_loader, loss_fn)
                    val_losses.append(loss)
                    val_accuracies.append(acc)
                    if best_epoch is None or loss < val_losses[best_epoch]:
                        best_epoch = epoch
                        saved = {name: t.detach().clone() for name, t in model.state_dict().items()}
                    elif epoch - best_epoch >= patience:
                        break
                    epoch += 1
                model.load_state_dict(saved)
                return {"train_loss": train_losses, "val_loss": val_losses, "val_accuracy": val_accuracies,
                        "best_epoch": best_epoch}
        """,
        "deepcopy_model_inline": """
            def fit(model, train_loader, val_loader, loss_fn, optimizer, max_epochs, patience):
                history = {"train_loss": [], "val_loss": [], "val_accuracy": [], "best_epoch": 0}
                best_model, best_loss, waited = copy.deepcopy(model), float("inf"), 0
                for epoch in range(max_epochs):
                    model.train()
                    total, n = 0.0, 0
                    for X, y in train_loader:
                        optimizer.zero_grad()
                        loss = loss_fn(model(X), y)
                        loss.backward()
                        optimizer.step()
                        total, n = total + loss.item() * len(y), n + len(y)
                    history["train_loss"].append(total / n)
                    model.eval()
                    total, correct, n = 0.0, 0, 0
                    with torch.no_grad():
                        for X, y in val_loader:
                            out = model(X)
                            total += loss_fn(out, y).item() * len(y)
                            correct += (out.argmax(1) == y).sum().item()
                            n += len(y)
                    history["val_loss"].append(total / n)
                    history["val_accuracy"].append(correct / n)
                    if total / n < best_loss:
                        best_loss, waited, history["best_epoch"] = total / n, 0, epoch
                        best_model = copy.deepcopy(model)
                    else:
                        waited += 1
                        if waited >= patience:
                            break
                model.load_state_dict(best_model.state_dict())
                return history
        """,
        "on_collaborators_that_average_per_batch": """
            # A correct fit on top of a train_one_epoch and an evaluate that take the plain mean of the batch losses
            # (wrong for their own tests when the last batch is smaller): fit's tests use batches of one size, so
            # fit keeps its points (issue 19: a function's points depend on that function only).
            def train_one_epoch(model, loader, loss_fn, optimizer):
                model.train()
                losses = []
                for X, y in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(X), y)
                    loss.backward()
                    optimizer.step()
                    losses.append(loss.item())
                return sum(losses) / len(losses)

            def evaluate(model, loader, loss_fn):
                model.eval()
                losses, accuracies = [], []
                with torch.no_grad():
                    for X, y in loader:
                        logits = model(X)
                        losses.append(loss_fn(logits, y).item())
                        accuracies.append((logits.argmax(dim=1) == y).double().mean().item())
                return float(np.mean(losses)), float(np.mean(accuracies))

            def fit(model, train_loader, val_loader, loss_fn, optimizer, max_epochs, patience):
                history = {"train_loss": [], "val_loss": [], "val_accuracy": [], "best_epoch": 0}
                best_loss, best_state, waited = float("inf"), None, 0
                for epoch in range(max_epochs):
                    history["train_loss"].append(train_one_epoch(model, train_loader, loss_fn, optimizer))
                    val_loss, val_accuracy = evaluate(model, val_loader, loss_fn)
                    history["val_loss"].append(val_loss)
                    history["val_accuracy"].append(val_accuracy)
                    if val_loss < best_loss:
                        best_loss, best_state, waited = val_loss, copy.deepcopy(model.state_dict()), 0
                        history["best_epoch"] = epoch
                    else:
                        waited += 1
                        if waited >= patience:
                            break
                model.load_state_dict(best_state)
                return history
        """,
    },
    "load_numpy_parameters": {
        "copy_no_grad": """
            def load_numpy_parameters(model, parameters):
                l = 0
                with torch.no_grad():
                    for layer in model:
                        if isinstance(layer, nn.Linear):
                            l += 1
                            layer.weight.copy_(torch.tensor(parameters[f"W{l}"]))
                            layer.bias.copy_(torch.tensor(parameters[f"b{l}"][:, 0]))
                return model
        """,
        "data_assignment": """
            def load_numpy_parameters(model, parameters):
                linears = [m for m in model.children() if type(m) is nn.Linear]
                for l, layer in enumerate(linears, 1):
                    layer.weight.data = torch.tensor(parameters["W" + str(l)], dtype=layer.weight.dtype)
                    layer.bias.data = torch.tensor(parameters["b" + str(l)].ravel(), dtype=layer.bias.dtype)
                return model
        """,
        "state_dict": """
            def load_numpy_parameters(model, parameters):
                names = [name for name, m in model.named_children() if isinstance(m, nn.Linear)]
                state = model.state_dict()
                for l, name in enumerate(names, start=1):
                    state[name + ".weight"] = torch.from_numpy(parameters[f"W{l}"].copy())
                    state[name + ".bias"] = torch.from_numpy(parameters[f"b{l}"].reshape(-1).copy())
                model.load_state_dict(state)
                return model
        """,
        "new_parameters": """
            def load_numpy_parameters(model, parameters):
                L = len(parameters) // 2
                linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
                assert len(linears) == L
                for l in range(1, L + 1):
                    dtype = linears[l - 1].weight.dtype
                    linears[l - 1].weight = nn.Parameter(torch.as_tensor(parameters[f"W{l}"], dtype=dtype).clone())
                    linears[l - 1].bias = nn.Parameter(torch.as_tensor(parameters[f"b{l}"], dtype=dtype).flatten().clone())
                return model
        """,
    },
    "MLP": {
        "module_list_appended": """
            class MLP(nn.Module):
                def __init__(self, layer_dims):
                    super().__init__()
                    self.layers = nn.ModuleList()
                    for l in range(1, len(layer_dims)):
                        self.layers.append(nn.Linear(layer_dims[l - 1], layer_dims[l]))

                def forward(self, X):
                    L = len(self.layers)
                    for l, layer in enumerate(self.layers, start=1):
                        X = layer(X)
                        if l < L:
                            X = nn.functional.relu(X)
                    return X
        """,
        "named_attributes": """
            class MLP(nn.Module):
                def __init__(self, layer_dims):
                    super().__init__()
                    self.L = len(layer_dims) - 1
                    for l in range(1, self.L + 1):
                        setattr(self, f"fc{l}", nn.Linear(layer_dims[l - 1], layer_dims[l]))
                    self.relu = nn.ReLU()

                def forward(self, X):
                    A = X
                    for l in range(1, self.L):
                        A = self.relu(getattr(self, f"fc{l}")(A))
                    return getattr(self, f"fc{self.L}")(A)
        """,
        "sequential_inside": """
            class MLP(nn.Module):
                def __init__(self, layer_dims):
                    super().__init__()
                    layers = []
                    for n_in, n_out in zip(layer_dims[:-1], layer_dims[1:]):
                        layers += [nn.Linear(n_in, n_out), nn.ReLU()]
                    self.net = nn.Sequential(*layers[:-1])

                def forward(self, X):
                    return self.net(X)
        """,
    },
    "logits_on": {
        "to_then_eval": """
            def logits_on(model, X, device):
                model = model.to(device).eval()
                X = X.to(device)
                with torch.no_grad():
                    logits = model(X)
                return logits
        """,
        "torch_device_and_inference_mode": """
            def logits_on(model, X, device):
                device = torch.device(device)
                model.eval()
                model.to(device=device)
                with torch.inference_mode():
                    return model(X.to(device=device))
        """,
    },
    "save_and_restore": {
        "dict_and_seek": """
            def save_and_restore(model, optimizer, new_model, new_optimizer, f):
                checkpoint = {"model": model.state_dict(), "optimizer": optimizer.state_dict()}
                torch.save(checkpoint, f)
                if not isinstance(f, str):
                    f.seek(0)
                loaded = torch.load(f, weights_only=True)
                new_optimizer.load_state_dict(loaded["optimizer"])
                new_model.load_state_dict(loaded["model"])
                return new_model, new_optimizer
        """,
        "copies_and_weights_only_false": """
            import io

            def save_and_restore(model, optimizer, new_model, new_optimizer, f):
                torch.save(dict(model=copy.deepcopy(model.state_dict()), optimizer=copy.deepcopy(optimizer.state_dict())), f)
                if isinstance(f, io.IOBase):
                    f.seek(0, io.SEEK_SET)
                state = torch.load(f, weights_only=False)
                new_model.load_state_dict(state["model"], strict=True)
                new_optimizer.load_state_dict(state["optimizer"])
                return (new_model, new_optimizer)
        """,
    },
}

MISTAKES = {
    "build_mlp": {
        "relu_before_batchnorm": ("""
            def build_mlp(layer_dims, dropout=0.0, batchnorm=False):
                layers = []
                for n_prev, n in zip(layer_dims[:-2], layer_dims[1:-1]):
                    layers += [nn.Linear(n_prev, n), nn.ReLU()]
                    if batchnorm:
                        layers.append(nn.BatchNorm1d(n))
                    if dropout > 0:
                        layers.append(nn.Dropout(dropout))
                layers.append(nn.Linear(layer_dims[-2], layer_dims[-1]))
                return nn.Sequential(*layers)
        """, "the right layers in the wrong order"),
        "dropout_before_relu": ("""
            def build_mlp(layer_dims, dropout=0.0, batchnorm=False):
                layers = []
                for n_prev, n in zip(layer_dims[:-2], layer_dims[1:-1]):
                    layers.append(nn.Linear(n_prev, n))
                    if batchnorm:
                        layers.append(nn.BatchNorm1d(n))
                    if dropout > 0:
                        layers.append(nn.Dropout(dropout))
                    layers.append(nn.ReLU())
                layers.append(nn.Linear(layer_dims[-2], layer_dims[-1]))
                return nn.Sequential(*layers)
        """, "the right layers in the wrong order"),
        "dropout_on_output": ("""
            def build_mlp(layer_dims, dropout=0.0, batchnorm=False):
                layers = []
                for l in range(1, len(layer_dims)):
                    layers.append(nn.Linear(layer_dims[l - 1], layer_dims[l]))
                    if l < len(layer_dims) - 1:
                        if batchnorm:
                            layers.append(nn.BatchNorm1d(layer_dims[l]))
                        layers.append(nn.ReLU())
                    if dropout > 0:
                        layers.append(nn.Dropout(dropout))
                return nn.Sequential(*layers)
        """, "extra layers after the output Linear"),
        "relu_on_output": ("""
            def build_mlp(layer_dims, dropout=0.0, batchnorm=False):
                layers = []
                for n_prev, n in zip(layer_dims[:-1], layer_dims[1:]):
                    layers.append(nn.Linear(n_prev, n))
                    if batchnorm and n != layer_dims[-1]:
                        layers.append(nn.BatchNorm1d(n))
                    layers.append(nn.ReLU())
                    if dropout > 0 and n != layer_dims[-1]:
                        layers.append(nn.Dropout(dropout))
                return nn.Sequential(*layers)
        """, "extra layers after the output Linear"),
        "dropout_layer_when_zero": ("""
            def build_mlp(layer_dims, dropout=0.0, batchnorm=False):
                layers = []
                for n_prev, n in zip(layer_dims[:-2], layer_dims[1:-1]):
                    layers.append(nn.Linear(n_prev, n))
                    if batchnorm:
                        layers.append(nn.BatchNorm1d(n))
                    layers += [nn.ReLU(), nn.Dropout(dropout)]
                layers.append(nn.Linear(layer_dims[-2], layer_dims[-1]))
                return nn.Sequential(*layers)
        """, "no Dropout layer when dropout is 0"),
        "keep_probability": ("""
            def build_mlp(layer_dims, dropout=0.0, batchnorm=False):
                layers = []
                for n_prev, n in zip(layer_dims[:-2], layer_dims[1:-1]):
                    layers.append(nn.Linear(n_prev, n))
                    if batchnorm:
                        layers.append(nn.BatchNorm1d(n))
                    layers.append(nn.ReLU())
                    if dropout > 0:
                        layers.append(nn.Dropout(1 - dropout))
                layers.append(nn.Linear(layer_dims[-2], layer_dims[-1]))
                return nn.Sequential(*layers)
        """, "['children'][3]['p']"),
        "batchnorm_of_previous_width": ("""
            def build_mlp(layer_dims, dropout=0.0, batchnorm=False):
                layers = []
                for n_prev, n in zip(layer_dims[:-2], layer_dims[1:-1]):
                    layers.append(nn.Linear(n_prev, n))
                    if batchnorm:
                        layers.append(nn.BatchNorm1d(n_prev))
                    layers.append(nn.ReLU())
                    if dropout > 0:
                        layers.append(nn.Dropout(dropout))
                layers.append(nn.Linear(layer_dims[-2], layer_dims[-1]))
                return nn.Sequential(*layers)
        """, "2970 parameters, expected 2874"),
    },
    "train_one_epoch": {
        "mean_of_batch_means": ("""
            def train_one_epoch(model, loader, loss_fn, optimizer):
                model.train()
                losses = []
                for X, y in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(X), y)
                    loss.backward()
                    optimizer.step()
                    losses.append(loss.item())
                return sum(losses) / len(losses)
        """, "(each batch's loss weighted by its size): 1 of 1 entries differ"),
        "divided_by_batch_count": ("""
            def train_one_epoch(model, loader, loss_fn, optimizer):
                model.train()
                total = 0.0
                for X, y in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(X), y)
                    loss.backward()
                    optimizer.step()
                    total += loss.item() * len(y)
                return total / len(loader)
        """, "(each batch's loss weighted by its size): 1 of 1 entries differ"),
        "no_zero_grad": ("""
            def train_one_epoch(model, loader, loss_fn, optimizer):
                model.train()
                total, count = 0.0, 0
                for X, y in loader:
                    loss = loss_fn(model(X), y)
                    loss.backward()
                    optimizer.step()
                    total += loss.item() * len(y)
                    count += len(y)
                return total / count
        """, "1 of 1 entries differ"),
        "no_training_mode": ("""
            def train_one_epoch(model, loader, loss_fn, optimizer):
                total, count = 0.0, 0
                for X, y in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(X), y)
                    loss.backward()
                    optimizer.step()
                    total += loss.item() * len(y)
                    count += len(y)
                return total / count
        """, "train_one_epoch() (in training mode): 1 of 1 entries differ"),
        "loss_after_the_step": ("""
            def train_one_epoch(model, loader, loss_fn, optimizer):
                model.train()
                total, count = 0.0, 0
                for X, y in loader:
                    optimizer.zero_grad()
                    loss_fn(model(X), y).backward()
                    optimizer.step()
                    with torch.no_grad():
                        total += loss_fn(model(X), y).item() * len(y)
                    count += len(y)
                return total / count
        """, "1 of 1 entries differ"),
        "one_step_per_epoch": ("""
            def train_one_epoch(model, loader, loss_fn, optimizer):
                model.train()
                optimizer.zero_grad()
                total, count = 0.0, 0
                for X, y in loader:
                    loss = loss_fn(model(X), y)
                    (loss * len(y)).backward()
                    total += loss.item() * len(y)
                    count += len(y)
                for p in model.parameters():
                    p.grad /= count
                optimizer.step()
                return total / count
        """, "entries differ"),
    },
    "evaluate": {
        "training_mode": ("""
            def evaluate(model, loader, loss_fn):
                total, correct, count = 0.0, 0, 0
                with torch.no_grad():
                    for X, y in loader:
                        logits = model(X)
                        total += loss_fn(logits, y).item() * len(y)
                        correct += (logits.argmax(dim=1) == y).sum().item()
                        count += len(y)
                return total / count, correct / count
        """, "evaluate() (evaluation mode, each batch weighted by its size) loss: 1 of 1 entries differ"),
        "no_no_grad": ("""
            def evaluate(model, loader, loss_fn):
                model.eval()
                total, correct, count = 0.0, 0, 0
                for X, y in loader:
                    logits = model(X)
                    total += loss_fn(logits, y).item() * len(y)
                    correct += (logits.argmax(dim=1) == y).sum().item()
                    count += len(y)
                return total / count, correct / count
        """, "requires_grad=True"),
        "mean_of_batch_means": ("""
            def evaluate(model, loader, loss_fn):
                model.eval()
                losses, accuracies = [], []
                with torch.no_grad():
                    for X, y in loader:
                        logits = model(X)
                        losses.append(loss_fn(logits, y).item())
                        accuracies.append((logits.argmax(dim=1) == y).float().mean().item())
                return sum(losses) / len(losses), sum(accuracies) / len(accuracies)
        """, "weighted by its size) loss: 1 of 1 entries differ"),
        "accuracy_of_batches": ("""
            def evaluate(model, loader, loss_fn):
                model.eval()
                total, count, accuracies = 0.0, 0, []
                with torch.no_grad():
                    for X, y in loader:
                        logits = model(X)
                        total += loss_fn(logits, y).item() * len(y)
                        count += len(y)
                        accuracies.append((logits.argmax(dim=1) == y).double().mean().item())
                return total / count, float(np.mean(accuracies))
        """, "weighted by its size) accuracy: 1 of 1 entries differ"),
        "batch_statistics_under_no_grad": ("""
            def evaluate(model, loader, loss_fn):
                model.train()
                for layer in model.modules():
                    if isinstance(layer, nn.Dropout):
                        layer.eval()
                total, correct, count = 0.0, 0, 0
                with torch.no_grad():
                    for X, y in loader:
                        logits = model(X)
                        total += loss_fn(logits, y).item() * len(y)
                        correct += (logits.argmax(dim=1) == y).sum().item()
                        count += len(y)
                return total / count, correct / count
        """, "changed the parameters or running statistics of its argument 'model'"),
    },
    "fit": {
        "last_best_on_a_tie": ("""
            def fit(model, train_loader, val_loader, loss_fn, optimizer, max_epochs, patience):
                history = {"train_loss": [], "val_loss": [], "val_accuracy": [], "best_epoch": 0}
                best_loss, best_state, waited = float("inf"), None, 0
                for epoch in range(max_epochs):
                    history["train_loss"].append(train_one_epoch(model, train_loader, loss_fn, optimizer))
                    val_loss, val_accuracy = evaluate(model, val_loader, loss_fn)
                    history["val_loss"].append(val_loss)
                    history["val_accuracy"].append(val_accuracy)
                    if val_loss <= best_loss:
                        best_loss, best_state, waited = val_loss, copy.deepcopy(model.state_dict()), 0
                        history["best_epoch"] = epoch
                    else:
                        waited += 1
                        if waited >= patience:
                            break
                model.load_state_dict(best_state)
                return history
        """, "ran 8 epochs, expected 4"),
        "keeps_the_last_weights": ("""
            def fit(model, train_loader, val_loader, loss_fn, optimizer, max_epochs, patience):
                history = {"train_loss": [], "val_loss": [], "val_accuracy": [], "best_epoch": 0}
                best_loss, waited = float("inf"), 0
                for epoch in range(max_epochs):
                    history["train_loss"].append(train_one_epoch(model, train_loader, loss_fn, optimizer))
                    val_loss, val_accuracy = evaluate(model, val_loader, loss_fn)
                    history["val_loss"].append(val_loss)
                    history["val_accuracy"].append(val_accuracy)
                    if val_loss < best_loss:
                        best_loss, waited = val_loss, 0
                        history["best_epoch"] = epoch
                    else:
                        waited += 1
                        if waited >= patience:
                            break
                return history
        """, "fit() left model"),
        "state_dict_not_copied": ("""
            def fit(model, train_loader, val_loader, loss_fn, optimizer, max_epochs, patience):
                history = {"train_loss": [], "val_loss": [], "val_accuracy": [], "best_epoch": 0}
                best_loss, best_state, waited = float("inf"), None, 0
                for epoch in range(max_epochs):
                    history["train_loss"].append(train_one_epoch(model, train_loader, loss_fn, optimizer))
                    val_loss, val_accuracy = evaluate(model, val_loader, loss_fn)
                    history["val_loss"].append(val_loss)
                    history["val_accuracy"].append(val_accuracy)
                    if val_loss < best_loss:
                        best_loss, best_state, waited = val_loss, model.state_dict(), 0
                        history["best_epoch"] = epoch
                    else:
                        waited += 1
                        if waited >= patience:
                            break
                model.load_state_dict(best_state)
                return history
        """, "fit() left model"),
        "count_not_restarted": ("""
            def fit(model, train_loader, val_loader, loss_fn, optimizer, max_epochs, patience):
                history = {"train_loss": [], "val_loss": [], "val_accuracy": [], "best_epoch": 0}
                best_loss, best_state, waited = float("inf"), None, 0
                for epoch in range(max_epochs):
                    history["train_loss"].append(train_one_epoch(model, train_loader, loss_fn, optimizer))
                    val_loss, val_accuracy = evaluate(model, val_loader, loss_fn)
                    history["val_loss"].append(val_loss)
                    history["val_accuracy"].append(val_accuracy)
                    if val_loss < best_loss:
                        best_loss, best_state = val_loss, copy.deepcopy(model.state_dict())
                        history["best_epoch"] = epoch
                    else:
                        waited += 1
                        if waited >= patience:
                            break
                model.load_state_dict(best_state)
                return history
        """, "ran 11 epochs, expected 12"),
        "one_epoch_too_many": ("""
            def fit(model, train_loader, val_loader, loss_fn, optimizer, max_epochs, patience):
                history = {"train_loss": [], "val_loss": [], "val_accuracy": [], "best_epoch": 0}
                best_loss, best_state, waited = float("inf"), None, 0
                for epoch in range(max_epochs):
                    history["train_loss"].append(train_one_epoch(model, train_loader, loss_fn, optimizer))
                    val_loss, val_accuracy = evaluate(model, val_loader, loss_fn)
                    history["val_loss"].append(val_loss)
                    history["val_accuracy"].append(val_accuracy)
                    if val_loss < best_loss:
                        best_loss, best_state, waited = val_loss, copy.deepcopy(model.state_dict()), 0
                        history["best_epoch"] = epoch
                    elif waited >= patience:
                        break
                    else:
                        waited += 1
                model.load_state_dict(best_state)
                return history
        """, "ran 14 epochs, expected 12"),
        "epochs_counted_from_one": ("""
            def fit(model, train_loader, val_loader, loss_fn, optimizer, max_epochs, patience):
                history = {"train_loss": [], "val_loss": [], "val_accuracy": [], "best_epoch": 0}
                best_loss, best_state, waited = float("inf"), None, 0
                for epoch in range(1, max_epochs + 1):
                    history["train_loss"].append(train_one_epoch(model, train_loader, loss_fn, optimizer))
                    val_loss, val_accuracy = evaluate(model, val_loader, loss_fn)
                    history["val_loss"].append(val_loss)
                    history["val_accuracy"].append(val_accuracy)
                    if val_loss < best_loss:
                        best_loss, best_state, waited = val_loss, copy.deepcopy(model.state_dict()), 0
                        history["best_epoch"] = epoch
                    else:
                        waited += 1
                        if waited >= patience:
                            break
                model.load_state_dict(best_state)
                return history
        """, "['best_epoch']: got 10, expected 9"),
        "validated_on_the_training_data": ("""
            def fit(model, train_loader, val_loader, loss_fn, optimizer, max_epochs, patience):
                history = {"train_loss": [], "val_loss": [], "val_accuracy": [], "best_epoch": 0}
                best_loss, best_state, waited = float("inf"), None, 0
                for epoch in range(max_epochs):
                    history["train_loss"].append(train_one_epoch(model, train_loader, loss_fn, optimizer))
                    val_loss, val_accuracy = evaluate(model, train_loader, loss_fn)
                    history["val_loss"].append(val_loss)
                    history["val_accuracy"].append(val_accuracy)
                    if val_loss < best_loss:
                        best_loss, best_state, waited = val_loss, copy.deepcopy(model.state_dict()), 0
                        history["best_epoch"] = epoch
                    else:
                        waited += 1
                        if waited >= patience:
                            break
                model.load_state_dict(best_state)
                return history
        """, "fit applies the early-stopping rule right to its losses, but the numbers differ"),
        "weights_without_running_statistics": ("""
            def fit(model, train_loader, val_loader, loss_fn, optimizer, max_epochs, patience):
                history = {"train_loss": [], "val_loss": [], "val_accuracy": [], "best_epoch": 0}
                best_loss, best_weights, waited = float("inf"), None, 0
                for epoch in range(max_epochs):
                    history["train_loss"].append(train_one_epoch(model, train_loader, loss_fn, optimizer))
                    val_loss, val_accuracy = evaluate(model, val_loader, loss_fn)
                    history["val_loss"].append(val_loss)
                    history["val_accuracy"].append(val_accuracy)
                    if val_loss < best_loss:
                        best_loss, waited = val_loss, 0
                        best_weights = [p.detach().clone() for p in model.parameters()]
                        history["best_epoch"] = epoch
                    else:
                        waited += 1
                        if waited >= patience:
                            break
                with torch.no_grad():
                    for p, saved in zip(model.parameters(), best_weights):
                        p.copy_(saved)
                return history
        """, "['buffers']['running_mean']"),
    },
    "load_numpy_parameters": {
        "transposed": ("""
            def load_numpy_parameters(model, parameters):
                linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
                for l, layer in enumerate(linears, start=1):
                    layer.weight.data = torch.tensor(parameters[f"W{l}"].T)
                    layer.bias.data = torch.tensor(parameters[f"b{l}"].ravel())
                return model
        """, "(transposed?)"),
        "bias_as_a_column": ("""
            def load_numpy_parameters(model, parameters):
                linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
                for l, layer in enumerate(linears, start=1):
                    layer.weight.data = torch.tensor(parameters[f"W{l}"])
                    layer.bias.data = torch.tensor(parameters[f"b{l}"])
                return model
        """, "wrong shape: expected (8,), got (8, 1)"),
        "float32_copy": ("""
            def load_numpy_parameters(model, parameters):
                linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
                for l, layer in enumerate(linears, start=1):
                    layer.weight.data = torch.tensor(parameters[f"W{l}"], dtype=torch.float32)
                    layer.bias.data = torch.tensor(parameters[f"b{l}"].ravel(), dtype=torch.float32)
                return model
        """, "entries differ"),
        "no_return": ("""
            def load_numpy_parameters(model, parameters):
                with torch.no_grad():
                    for l, layer in enumerate([m for m in model if isinstance(m, nn.Linear)], start=1):
                        layer.weight.copy_(torch.from_numpy(parameters[f"W{l}"]))
                        layer.bias.copy_(torch.from_numpy(parameters[f"b{l}"][:, 0]))
        """, "forget to `return`"),
        "a_new_model": ("""
            def load_numpy_parameters(model, parameters):
                model = copy.deepcopy(model)
                with torch.no_grad():
                    for l, layer in enumerate([m for m in model if isinstance(m, nn.Linear)], start=1):
                        layer.weight.copy_(torch.from_numpy(parameters[f"W{l}"]))
                        layer.bias.copy_(torch.from_numpy(parameters[f"b{l}"][:, 0]))
                return model
        """, "load_numpy_parameters() left model"),
    },
    "MLP": {
        "plain_list": ("""
            class MLP(nn.Module):
                def __init__(self, layer_dims):
                    super().__init__()
                    self.layers = [nn.Linear(n_in, n_out) for n_in, n_out in zip(layer_dims[:-1], layer_dims[1:])]

                def forward(self, X):
                    for layer in self.layers[:-1]:
                        X = torch.relu(layer(X))
                    return self.layers[-1](X)
        """, "the module registers no Linear layer"),
        "relu_on_output": ("""
            class MLP(nn.Module):
                def __init__(self, layer_dims):
                    super().__init__()
                    self.linears = nn.ModuleList(nn.Linear(a, b) for a, b in zip(layer_dims[:-1], layer_dims[1:]))

                def forward(self, X):
                    for linear in self.linears:
                        X = torch.relu(linear(X))
                    return X
        """, "MLP(): "),
        "output_layer_first": ("""
            class MLP(nn.Module):
                def __init__(self, layer_dims):
                    super().__init__()
                    self.output = nn.Linear(layer_dims[-2], layer_dims[-1])
                    self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in zip(layer_dims[:-2], layer_dims[1:-1]))

                def forward(self, X):
                    for layer in self.hidden:
                        X = torch.relu(layer(X))
                    return self.output(X)
        """, "entries differ"),
    },
    "logits_on": {
        "hard_coded_cuda": ("""
            def logits_on(model, X, device):
                model = model.cuda().eval()
                with torch.no_grad():
                    return model(X.cuda())
        """, "Torch not compiled with CUDA enabled"),
        "ignores_the_device": ("""
            def logits_on(model, X, device):
                model.eval()
                with torch.no_grad():
                    return model(X)
        """, "the result is on cpu, expected on meta"),
        "training_mode": ("""
            def logits_on(model, X, device):
                model.to(device)
                with torch.no_grad():
                    return model(X.to(device))
        """, "entries differ"),
    },
    "save_and_restore": {
        "model_only": ("""
            def save_and_restore(model, optimizer, new_model, new_optimizer, f):
                torch.save(model.state_dict(), f)
                if hasattr(f, "seek"):
                    f.seek(0)
                new_model.load_state_dict(torch.load(f))
                return new_model, new_optimizer
        """, "new_optimizer['state']: missing keys"),
        "recreated_optimizer": ("""
            def save_and_restore(model, optimizer, new_model, new_optimizer, f):
                torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, f)
                if hasattr(f, "seek"):
                    f.seek(0)
                checkpoint = torch.load(f)
                new_model.load_state_dict(checkpoint["model"])
                new_optimizer = type(optimizer)(new_model.parameters(), **optimizer.defaults)
                return new_model, new_optimizer
        """, "new_optimizer['state']: missing keys"),
    },
}

HIDDEN_ONLY = {}

# Every statement of each graded function's docstring -> the visible check that tests it (docs/lesson-rules.md, 4).
PROMISES = {
    "build_mlp": {
        "A multilayer perceptron as an nn.Sequential of relu hidden layers and a linear output layer.":
            "# [64, 32, 10]: one hidden layer, dropout 0 (no Dropout layer) and no batch norm",
        "layer_dims -- list [n_0, n_1, ..., n_L]: n_0 inputs, n_l units in layer l, n_L outputs (the logits)":
            "# dropout without batch norm, batch norm without dropout, and three hidden layers of other sizes",
        "dropout -- float in [0, 1): the probability of DROPPING a unit (torch's p) after each hidden relu; "
        "0 means no Dropout layer at all":
            "dropout 0 (no Dropout layer)",
        "the probability of DROPPING a unit (torch's p)":
            "dropout_layer(0.25)",
        "batchnorm -- bool: a BatchNorm1d(n_l) after each hidden Linear, before its relu":
            "# two hidden layers with batch norm and dropout 0.25: Linear, BatchNorm1d, ReLU, Dropout twice",
        "model -- nn.Sequential whose children are, for l = 1..L-1: Linear(n_{l-1}, n_l), [BatchNorm1d(n_l) if "
        "batchnorm], ReLU(), [Dropout(dropout) if dropout > 0];":
            "Linear, BatchNorm1d, ReLU, Dropout twice, then the output Linear alone",
        "then Linear(n_{L-1}, n_L) (no activation, batch norm or dropout after it)":
            "# no hidden layer (softmax regression): the output Linear alone, whatever dropout and batchnorm say",
    },
    "train_one_epoch": {
        "One epoch of mini-batch training.":
            "# 50 training digits in shuffled batches of 16, 16, 16 and 2, SGD on a small float64 model",
        "model -- nn.Module mapping a batch X_batch (b, n_x) to logits (b, n_classes)":
            "setup = ck.Build(F.epoch_setup, seed=0, n=50, batch_size=16)",
        "loader -- DataLoader yielding (X_batch, y_batch): X_batch (b, n_x), y_batch (b,) integer labels; b may be "
        "smaller for the last batch":
            "shuffled batches of 16, 16, 16 and 2",
        "loss_fn -- loss module, e.g. nn.CrossEntropyLoss(): loss_fn(logits, y_batch) is the MEAN loss of the batch":
            "quantity=\"train_one_epoch() (each batch's loss weighted by its size)\"",
        "optimizer -- torch.optim optimizer created with model.parameters()":
            "# batch norm and Adam: one step per batch with freshly zeroed gradients",
        "mean_loss -- float, the example-weighted mean loss of the epoch: sum over the batches of (b * loss of the "
        "batch) / number of examples, not the plain mean of the batch losses (they differ when the last batch is "
        "smaller); each batch's loss as computed for its step (before the step)":
            "weighted by its batch's size",
        "each batch's loss as computed for its step (before the step)":
            "each as computed for its step (before the step)",
        "The model is put in training mode first (model.train());":
            "# a model with dropout handed over in evaluation mode (as evaluate leaves it): train it in training mode",
        "one optimizer step per batch, gradients zeroed before each backward pass.":
            "# batch norm and Adam: one step per batch with freshly zeroed gradients, and the model",
    },
    "evaluate": {
        "Loss and accuracy of a model on a data set, in evaluation mode.":
            "# A trained model with dropout, 50 validation digits in batches of 16, 16, 16 and 2: evaluation mode",
        "model -- nn.Module mapping X_batch (b, n_x) to logits (b, n_classes)":
            'setup = ck.Build(F.evaluation_setup, seed=0, n=50, batch_size=16, kind="dropout")',
        "loader -- DataLoader yielding (X_batch, y_batch), y_batch (b,) integer labels; the last batch may be smaller":
            "50 validation digits in batches of 16, 16, 16 and 2",
        "loss_fn -- loss module whose loss_fn(logits, y_batch) is the MEAN loss of the batch":
            'quantity="evaluate() (evaluation mode, each batch weighted by its size)"',
        "mean_loss -- float, the example-weighted mean loss: sum over the batches of (b * loss of the batch) / "
        "number of examples, not the plain mean of the batch losses":
            "each batch weighted by its size)",
        "accuracy -- float in [0, 1], the fraction of examples whose largest logit is at their label":
            'names=("loss", "accuracy")',
        "Runs in evaluation mode (model.eval()) under torch.no_grad(); changes no parameter and no running "
        "statistic.":
            "# every loss passed here refuses logits recorded for backpropagation: the loop must run under torch.no_grad()",
        "changes no parameter and no running statistic.":
            "# batch norm: evaluation mode normalizes with the running statistics and does not update them",
    },
    "fit": {
        "Train with early stopping on the validation loss; the model ends with the state of its best epoch.":
            "After fit the model holds the state of the best epoch,",
        "model, loss_fn, optimizer -- as for train_one_epoch":
            "setup = ck.Build(F.fit_setup, seed=2, n_train=64, n_val=48, lr=1.0, max_epochs=14, patience=2)",
        "train_loader -- DataLoader of the training data (one epoch = one pass over it)":
            "(64 training and 48 validation digits in batches of 16)",
        "val_loader -- DataLoader of the validation data":
            "(64 training and 48 validation digits in batches of 16)",
        "max_epochs -- int >= 1, the largest number of epochs":
            "# no stop before max_epochs = 12: the history has 12 epochs",
        "patience -- int >= 1, the number of non-improving epochs in a row that stops training":
            "training stops after `patience` = 3 more epochs",
        'history -- dict: "train_loss", "val_loss", "val_accuracy": lists of floats, one per epoch run, the results '
        "as they are of train_one_epoch(model, train_loader, loss_fn, optimizer) and then of evaluate(model, "
        "val_loader, loss_fn), called once each per epoch (so example-weighted means: the mean training loss of the "
        "epoch, the validation loss and accuracy after it);":
            "The history holds their results as they are, once each per epoch.",
        "(so example-weighted means:":
            "example-weighted mean of the batch losses equals their plain mean",
        '"best_epoch": int, the last improving epoch, counting from 0':
            "the best is the last improving one, epoch 10",
        "An epoch improves when its validation loss is below the best so far (which starts at +inf; an equal loss "
        "does not improve).":
            "An equal loss is no improvement: epoch 0 stays the best",
        "Training stops after the epoch that makes `patience` non-improving epochs in a row, or after max_epochs "
        "epochs.":
            "rises for one epoch (the count starts again when it falls), falls,",
        "or after max_epochs epochs.":
            "# no stop before max_epochs = 12",
        "At the end the model holds the state_dict (weights and running statistics) saved at the best epoch.":
            "the state of the best epoch, 3, includes the running statistics",
    },
    "load_numpy_parameters": {
        "Copy a numpy network's parameters (assignments 03-04) into the Linear layers of a PyTorch model.":
            "# A 64-8-4-1 network of the course (He initialisation, nonzero biases) into a PyTorch model of the same shape",
        "model -- nn.Sequential (e.g. from build_mlp) whose Linear layers, in order, are the layers 1..L":
            "# batch norm and dropout between the Linear layers: only the Linear layers change, in order",
        'parameters -- dict "W{l}": array (n_l, n_{l-1}), "b{l}": array (n_l, 1), l = 1..L':
            "parameters = course_parameters([64, 8, 4, 1], seed=0)",
        "model -- the same model, its l-th Linear layer now with weight = W{l} (n_l, n_{l-1}) and bias = b{l} as a "
        "vector (n_l,), exact copies in the model's dtype; all other layers unchanged":
            "the model passed in is the one changed and returned",
        "weight = W{l} (n_l, n_{l-1}) and bias = b{l} as a vector (n_l,), exact copies in the model's dtype":
            "expected, rtol=0, atol=0,",
        "all other layers unchanged":
            "only the Linear layers change, in order",
    },
    "MLP": {
        "The course's multilayer perceptron as an nn.Module of your own: relu hidden layers, a linear output layer.":
            "gives the logits of its two Linear layers drawn in order (relu between, none after the last)",
        "layer_dims -- list [n_0, n_1, ..., n_L]: n_0 inputs, n_l units in layer l, n_L outputs (the logits)":
            "# two hidden layers of other sizes on 4 random examples",
        "The module holds L Linear layers, created in the order l = 1, ..., L with PyTorch's default initialisation "
        "and dtype:":
            "# [64, 32, 10] on 5 digits (float32, PyTorch's default)",
        "layer l is nn.Linear(n_{l-1}, n_l), its weight (n_l, n_{l-1}) the course's W[l] and its bias (n_l,) the "
        "course's b[l].":
            "shapes=[(7, 5), (6, 7), (3, 6)]",
        "They are registered (attributes of self, e.g. one nn.ModuleList), so that model.parameters() and "
        "model.state_dict() list them; the module has no other parameters.":
            "and it registers those\n# two layers (weights (32, 64) and (10, 32), with biases) and no other parameter",
        "forward(X) -- X (m, n_0), one example per row; returns the logits (m, n_L): A = X, then A = relu(layer l of A) "
        "for l = 1..L-1, and layer L of A with no activation after it":
            "# two hidden layers of other sizes on 4 random examples: relu after each hidden layer, the output layer without it",
    },
    "logits_on": {
        "The logits of a batch, computed on a given device.":
            "# A model with dropout, handed over in training mode, and 6 validation digits",
        "model -- nn.Module mapping X (m, n_x) to logits (m, n_classes), on any device":
            'inputs = {"model": ck.Build(F.small_model, seed=0, kind="dropout")',
        "X -- tensor (m, n_x), one example per row, on any device":
            '"X": ck.Build(F.digits_rows, seed=0, n=6)',
        'device -- where to compute: a string ("cpu", "cuda", "cuda:1", ...) or a torch.device':
            "# the device given as a torch.device",
        "logits -- tensor (m, n_classes) on `device`: the model's output in evaluation mode":
            "the logits in evaluation\n# mode (dropout off), on the CPU",
        "The model is moved to `device` (model.to(device)) and stays there; X is copied there (X.to(device)).":
            "the logits (6, 10) must come out there and the model must have moved\n# there",
    },
    "save_and_restore": {
        "A checkpoint round trip: save the training state to f, load it back into a fresh model and optimizer.":
            "its checkpoint in an io.BytesIO",
        "model, optimizer -- a model in training and its optimizer (e.g. torch.optim.Adam, whose moments and step count "
        "per parameter are part of the training state)":
            "new_optimizer Adam's moments and step count of every parameter",
        "new_model, new_optimizer -- what a restarted program makes: a model of the same layers (other weights) and a "
        "fresh optimizer of the same kind, made with new_model.parameters()":
            "afterwards new_model holds the\n# weights",
        "f -- where the checkpoint goes: a file path (str) or a file object for reading and writing (io.BytesIO)":
            "# the checkpoint in a file given by its path",
        "new_model, new_optimizer -- the objects given, now holding exactly the state of model and optimizer, so that "
        "training them on gives the same numbers as training model and optimizer on":
            "(the straight-through run's state, so\n# training on gives the same numbers); both are the objects given, changed and returned",
        "Saves one dict {\"model\": model.state_dict(), \"optimizer\": optimizer.state_dict()} with torch.save(..., f), "
        "reads it back with torch.load(f) (a file object rewound first, f.seek(0)), and loads the two states with "
        "new_model.load_state_dict and new_optimizer.load_state_dict.":
            'after={"new_model": state[0], "new_optimizer": state[1]}',
    },
}
