"""Variants of 09_optimizers' graded functions: correct formulations and typical mistakes (tests/support/variants.py)."""

CORRECT = {
    'ewa': {
        'loop_list': """
            def ewa(values, beta, bias_correction=False):
                V, out = 0.0, []
                for t, s in enumerate(values, start=1):
                    V = beta * V + (1 - beta) * s
                    out.append(V / (1 - beta ** t) if bias_correction else V)
                return np.array(out)
        """,
        'loop_then_vectorised_correction': """
            def ewa(values, beta, bias_correction=False):
                V = np.empty(len(values))
                previous = 0.0
                for k in range(len(values)):
                    previous = beta * previous + (1 - beta) * values[k]
                    V[k] = previous
                if bias_correction:
                    V = V / (1 - np.power(beta, np.arange(1, len(values) + 1)))
                return V
        """,
        'weights_matrix': """
            def ewa(values, beta, bias_correction=False):
                n = len(values)
                t = np.arange(1, n + 1)
                lag = t[:, None] - t[None, :]
                W = np.tril((1 - beta) * beta ** np.clip(lag, 0, None))
                V = W @ values
                return V / (1 - beta ** t) if bias_correction else V
        """,
        'weighted_mean_for_correction': """
            def ewa(values, beta, bias_correction=False):
                out = np.zeros_like(values, dtype=float)
                num, den = 0.0, 0.0
                for t in range(len(values)):
                    num = beta * num + (1 - beta) * values[t]
                    den = beta * den + (1 - beta)
                    out[t] = num / den if bias_correction else num
                return out
        """,
    },
    'momentum_update': {
        'textbook': """
            def momentum_update(w, dw, v, learning_rate, beta):
                v = beta * v + (1 - beta) * dw
                w = w - learning_rate * v
                return w, v
        """,
        'torch_buffer': """
            def momentum_update(w, dw, v, learning_rate, beta):
                buffer = beta * v / (1 - beta) + dw          # torch's b = beta b + dw, with b = v / (1 - beta)
                return w - learning_rate * (1 - beta) * buffer, (1 - beta) * buffer
        """,
        'copies_then_in_place': """
            def momentum_update(w, dw, v, learning_rate, beta):
                w, v = w.copy(), v.copy()
                v *= beta
                v += (1 - beta) * dw
                w -= learning_rate * v
                return w, v
        """,
        'interpolation': """
            def momentum_update(w, dw, v, learning_rate, beta):
                v_new = v + (1 - beta) * (dw - v)
                return np.subtract(w, learning_rate * v_new), v_new
        """,
    },
    'nesterov_update': {
        'textbook': """
            def nesterov_update(w, dw, v, learning_rate, beta):
                v = beta * v + (1 - beta) * dw
                return w - learning_rate * ((1 - beta) * dw + beta * v), v
        """,
        'cs231n_form': """
            def nesterov_update(w, dw, v, learning_rate, beta):
                v_prev = v
                v = beta * v + (1 - beta) * dw
                w = w - learning_rate * ((1 + beta) * v - beta * v_prev)
                return w, v
        """,
        'torch_form': """
            def nesterov_update(w, dw, v, learning_rate, beta):
                b = beta * v / (1 - beta) + dw
                step = dw + beta * b
                return w - learning_rate * (1 - beta) * step, (1 - beta) * b
        """,
        'inline_lookahead': """
            def nesterov_update(w, dw, v, learning_rate, beta):
                v_next = beta * v + (1 - beta) * dw
                lookahead = beta * v_next + (1 - beta) * dw
                return w - learning_rate * lookahead, v_next
        """,
    },
    'adagrad_update': {
        'textbook': """
            def adagrad_update(w, dw, s, learning_rate, epsilon=1e-8):
                s = s + dw ** 2
                return w - learning_rate * dw / (np.sqrt(s) + epsilon), s
        """,
        'numpy_functions': """
            def adagrad_update(w, dw, s, learning_rate, epsilon=1e-8):
                s_new = np.add(s, np.square(dw))
                step = np.divide(learning_rate, np.sqrt(s_new) + epsilon)
                return w - step * dw, s_new
        """,
        'copies_then_in_place': """
            def adagrad_update(w, dw, s, learning_rate, epsilon=1e-8):
                w, s = w.copy(), s.copy()
                s += dw * dw
                w -= learning_rate * dw / (s ** 0.5 + epsilon)
                return w, s
        """,
    },
    'rmsprop_update': {
        'textbook': """
            def rmsprop_update(w, dw, s, learning_rate, beta=0.9, epsilon=1e-8):
                s = beta * s + (1 - beta) * dw ** 2
                return w - learning_rate * dw / (np.sqrt(s) + epsilon), s
        """,
        'numpy_functions': """
            def rmsprop_update(w, dw, s, learning_rate, beta=0.9, epsilon=1e-8):
                s_new = np.multiply(beta, s) + np.multiply(1 - beta, np.square(dw))
                return np.subtract(w, learning_rate * np.divide(dw, np.sqrt(s_new) + epsilon)), s_new
        """,
        'interpolation_copies': """
            def rmsprop_update(w, dw, s, learning_rate, beta=0.9, epsilon=1e-8):
                s = s.copy()
                s += (1 - beta) * (dw * dw - s)
                return w - learning_rate * dw / (np.power(s, 0.5) + epsilon), s
        """,
    },
    'adam_update': {
        'textbook': """
            def adam_update(w, dw, v, s, t, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
                v = beta1 * v + (1 - beta1) * dw
                s = beta2 * s + (1 - beta2) * dw ** 2
                v_hat = v / (1 - beta1 ** t)
                s_hat = s / (1 - beta2 ** t)
                return w - learning_rate * v_hat / (np.sqrt(s_hat) + epsilon), v, s
        """,
        'torch_rearranged': """
            def adam_update(w, dw, v, s, t, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
                v = beta1 * v + (1 - beta1) * dw
                s = beta2 * s + (1 - beta2) * dw * dw
                bias_correction1 = 1 - beta1 ** t
                bias_correction2 = 1 - beta2 ** t
                step_size = learning_rate / bias_correction1
                denom = np.sqrt(s) / math.sqrt(bias_correction2) + epsilon
                return w - step_size * v / denom, v, s
        """,
        'np_power_copies': """
            def adam_update(w, dw, v, s, t, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
                w, v, s = w.copy(), v.copy(), s.copy()
                v *= beta1
                v += (1 - beta1) * dw
                s *= beta2
                s += (1 - beta2) * np.power(dw, 2)
                w -= learning_rate * (v / (1 - np.power(beta1, t))) / (np.sqrt(s / (1 - np.power(beta2, t))) + epsilon)
                return w, v, s
        """,
        'float_t': """
            def adam_update(w, dw, v, s, t, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
                t = float(t)
                m = v + (1 - beta1) * (dw - v)
                u = s + (1 - beta2) * (dw ** 2 - s)
                return w - learning_rate * (m / (1 - beta1 ** t)) / ((u / (1 - beta2 ** t)) ** 0.5 + epsilon), m, u
        """,
    },
    'lr_schedule': {
        'textbook': """
            def lr_schedule(kind, learning_rate0, epoch, **params):
                if kind == "step":
                    return learning_rate0 * params["gamma"] ** (epoch // params["step_size"])
                if kind == "exponential":
                    return learning_rate0 * params["gamma"] ** epoch
                return learning_rate0 / (1 + params["decay_rate"] * epoch)
        """,
        'explicit_keywords_math': """
            def lr_schedule(kind, learning_rate0, epoch, step_size=None, gamma=None, decay_rate=None):
                if kind == "step":
                    return learning_rate0 * math.pow(gamma, math.floor(epoch / step_size))
                elif kind == "exponential":
                    return learning_rate0 * math.pow(gamma, epoch)
                elif kind == "inverse":
                    return learning_rate0 * 1.0 / (1.0 + decay_rate * epoch)
                raise ValueError(kind)
        """,
        'dict_of_lambdas_numpy': """
            def lr_schedule(kind, learning_rate0, epoch, **params):
                rules = {
                    "step": lambda: np.power(params["gamma"], epoch // params["step_size"]),
                    "exponential": lambda: np.power(params["gamma"], epoch),
                    "inverse": lambda: 1 / (1 + params["decay_rate"] * epoch),
                }
                return float(learning_rate0 * rules[kind]())
        """,
        'chained_like_torch': """
            def lr_schedule(kind, learning_rate0, epoch, **params):
                lr = learning_rate0
                for e in range(1, epoch + 1):
                    if kind == "step" and e % params["step_size"] == 0:
                        lr *= params["gamma"]
                    elif kind == "exponential":
                        lr *= params["gamma"]
                if kind == "inverse":
                    lr = learning_rate0 / (1 + params["decay_rate"] * epoch)
                return lr
        """,
    },
    'optimizer_init': {
        'zeros_like': """
            def optimizer_init(params):
                return {"t": 0, "v": {k: np.zeros_like(p) for k, p in params.items()},
                        "s": {k: np.zeros_like(p) for k, p in params.items()}}
        """,
        'loop_np_zeros': """
            def optimizer_init(params):
                state = {"t": 0, "v": {}, "s": {}}
                for name in params:
                    state["v"][name] = np.zeros(np.shape(params[name]))
                    state["s"][name] = np.zeros(params[name].shape, dtype=float)
                return state
        """,
        'times_zero': """
            def optimizer_init(params):
                v = dict((k, 0.0 * p) for k, p in params.items())
                s = {k: np.full(p.shape, 0.0) for k, p in params.items()}
                return dict(t=0, v=v, s=s)
        """,
    },
    'momentum_step': {
        'loop': """
            def momentum_step(params, grads, state, learning_rate, beta):
                new_params, v = {}, {}
                for k in params:
                    v[k] = beta * state["v"][k] + (1 - beta) * grads[k]
                    new_params[k] = params[k] - learning_rate * v[k]
                return new_params, {"t": state["t"] + 1, "v": v, "s": state["s"]}
        """,
        'comprehensions_torch_buffer': """
            def momentum_step(params, grads, state, learning_rate, beta):
                # torch's buffer b = beta b + dw with b = v / (1 - beta), stepped with lr (1 - beta)
                buffers = {k: beta * state["v"][k] / (1 - beta) + grads[k] for k in params}
                new_state = dict(state, t=state["t"] + 1, v={k: (1 - beta) * b for k, b in buffers.items()})
                return {k: params[k] - learning_rate * (1 - beta) * buffers[k] for k in params}, new_state
        """,
        'deepcopy_then_in_place': """
            import copy
            def momentum_step(params, grads, state, learning_rate, beta):
                params, state = copy.deepcopy(params), copy.deepcopy(state)
                state["t"] += 1
                for k, w in params.items():
                    state["v"][k] *= beta
                    state["v"][k] += (1 - beta) * grads[k]
                    w -= learning_rate * state["v"][k]
                return params, state
        """,
    },
    'adam_step': {
        'loop': """
            def adam_step(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
                t = state["t"] + 1
                out, v, s = {}, {}, {}
                for k, w in params.items():
                    v[k] = beta1 * state["v"][k] + (1 - beta1) * grads[k]
                    s[k] = beta2 * state["s"][k] + (1 - beta2) * np.square(grads[k])
                    v_hat, s_hat = v[k] / (1 - beta1 ** t), s[k] / (1 - beta2 ** t)
                    out[k] = w - learning_rate * v_hat / (np.sqrt(s_hat) + epsilon)
                return out, {"t": t, "v": v, "s": s}
        """,
        'torch_rearranged': """
            def adam_step(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
                t = state["t"] + 1
                v = {k: beta1 * state["v"][k] + (1 - beta1) * g for k, g in grads.items()}
                s = {k: beta2 * state["s"][k] + (1 - beta2) * g * g for k, g in grads.items()}
                step_size = learning_rate / (1 - beta1 ** t)
                root = np.sqrt(1 - beta2 ** t)
                new = {k: params[k] - step_size * v[k] / (np.sqrt(s[k]) / root + epsilon) for k in params}
                return new, {"t": t, "v": v, "s": s}
        """,
        'per_parameter_helper_inline': """
            def adam_step(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
                def one(w, dw, v, s, t):
                    v = beta1 * v + (1 - beta1) * dw
                    s = beta2 * s + (1 - beta2) * dw ** 2
                    return w - learning_rate * (v / (1 - beta1 ** t)) / (np.sqrt(s / (1 - beta2 ** t)) + epsilon), v, s
                new_state = {"t": state["t"] + 1, "v": {}, "s": {}}
                new_params = {}
                for k in params:
                    new_params[k], new_state["v"][k], new_state["s"][k] = one(
                        params[k], grads[k], state["v"][k], state["s"][k], new_state["t"])
                return new_params, new_state
        """,
    },
}

MISTAKES = {
    'ewa': {
        'starts_at_first_value': ("""
            def ewa(values, beta, bias_correction=False):
                V, out = values[0], []
                for t, s in enumerate(values, start=1):
                    V = beta * V + (1 - beta) * s
                    out.append(V / (1 - beta ** t) if bias_correction else V)
                return np.array(out)
        """, "ewa() from V_0 = 0"),
        'one_minus_beta_missing': ("""
            def ewa(values, beta, bias_correction=False):
                V, out = 0.0, []
                for t, s in enumerate(values, start=1):
                    V = beta * V + s
                    out.append(V / (1 - beta ** t) if bias_correction else V)
                return np.array(out)
        """, "ewa() from V_0 = 0"),
        'correction_t_from_0': ("""
            def ewa(values, beta, bias_correction=False):
                V, out = 0.0, []
                for t, s in enumerate(values):
                    V = beta * V + (1 - beta) * s
                    out.append(V / (1 - np.float64(beta) ** t) if bias_correction else V)
                return np.array(out)
        """, "not finite"),
        'correction_fed_back': ("""
            def ewa(values, beta, bias_correction=False):
                V, out = 0.0, []
                for t, s in enumerate(values, start=1):
                    V = beta * V + (1 - beta) * s
                    if bias_correction:
                        V = V / (1 - beta ** t)
                    out.append(V)
                return np.array(out)
        """, "ewa() with bias_correction=True"),
        'ignores_bias_correction': ("""
            def ewa(values, beta, bias_correction=False):
                V, out = 0.0, []
                for s in values:
                    V = beta * V + (1 - beta) * s
                    out.append(V)
                return np.array(out)
        """, "ewa() with bias_correction=True"),
        'overwrites_values': ("""
            def ewa(values, beta, bias_correction=False):
                V = 0.0
                for t in range(len(values)):
                    V = beta * V + (1 - beta) * values[t]
                    values[t] = V / (1 - beta ** (t + 1)) if bias_correction else V
                return values
        """, "changed its argument 'values' in place"),
    },
    'momentum_update': {
        'one_minus_beta_missing': ("""
            def momentum_update(w, dw, v, learning_rate, beta):
                v = beta * v + dw
                return w - learning_rate * v, v
        """, "momentum_update() v"),
        'torch_first_step': ("""
            def momentum_update(w, dw, v, learning_rate, beta):
                v = dw if not np.any(v) else beta * v + (1 - beta) * dw
                return w - learning_rate * v, v
        """, "momentum_update() v"),
        'step_with_old_velocity': ("""
            def momentum_update(w, dw, v, learning_rate, beta):
                w_new = w - learning_rate * v
                return w_new, beta * v + (1 - beta) * dw
        """, "momentum_update() w"),
        'step_with_gradient': ("""
            def momentum_update(w, dw, v, learning_rate, beta):
                v = beta * v + (1 - beta) * dw
                return w - learning_rate * dw, v
        """, "momentum_update() w"),
        'in_place': ("""
            def momentum_update(w, dw, v, learning_rate, beta):
                v *= beta
                v += (1 - beta) * dw
                w -= learning_rate * v
                return w, v
        """, "in place"),
    },
    'nesterov_update': {
        'plain_momentum_step': ("""
            def nesterov_update(w, dw, v, learning_rate, beta):
                v = beta * v + (1 - beta) * dw
                return w - learning_rate * v, v
        """, "nesterov_update() w"),
        'old_velocity_in_lookahead': ("""
            def nesterov_update(w, dw, v, learning_rate, beta):
                v_new = beta * v + (1 - beta) * dw
                return w - learning_rate * ((1 - beta) * dw + beta * v), v_new
        """, "nesterov_update() w"),
        'one_minus_beta_missing_on_dw': ("""
            def nesterov_update(w, dw, v, learning_rate, beta):
                v = beta * v + (1 - beta) * dw
                return w - learning_rate * (dw + beta * v), v
        """, "nesterov_update() w"),
        'one_minus_beta_missing_in_v': ("""
            def nesterov_update(w, dw, v, learning_rate, beta):
                v = beta * v + dw
                return w - learning_rate * ((1 - beta) * dw + beta * v), v
        """, "nesterov_update() v"),
        'in_place': ("""
            def nesterov_update(w, dw, v, learning_rate, beta):
                v *= beta
                v += (1 - beta) * dw
                w -= learning_rate * ((1 - beta) * dw + beta * v)
                return w, v
        """, "in place"),
    },
    'adagrad_update': {
        'epsilon_inside_root': ("""
            def adagrad_update(w, dw, s, learning_rate, epsilon=1e-8):
                s = s + dw ** 2
                return w - learning_rate * dw / np.sqrt(s + epsilon), s
        """, "adagrad_update() w"),
        'torch_default_epsilon': ("""
            def adagrad_update(w, dw, s, learning_rate, epsilon=1e-10):
                s = s + dw ** 2
                return w - learning_rate * dw / (np.sqrt(s) + epsilon), s
        """, "adagrad_update() w"),
        'not_accumulated': ("""
            def adagrad_update(w, dw, s, learning_rate, epsilon=1e-8):
                s = dw ** 2
                return w - learning_rate * dw / (np.sqrt(s) + epsilon), s
        """, "adagrad_update() s"),
        'old_sum_in_step': ("""
            def adagrad_update(w, dw, s, learning_rate, epsilon=1e-8):
                w_new = w - learning_rate * dw / (np.sqrt(s) + epsilon)
                return w_new, s + dw ** 2
        """, "adagrad_update() w"),
        'in_place': ("""
            def adagrad_update(w, dw, s, learning_rate, epsilon=1e-8):
                s += dw ** 2
                w -= learning_rate * dw / (np.sqrt(s) + epsilon)
                return w, s
        """, "in place"),
    },
    'rmsprop_update': {
        'one_minus_beta_missing': ("""
            def rmsprop_update(w, dw, s, learning_rate, beta=0.9, epsilon=1e-8):
                s = beta * s + dw ** 2
                return w - learning_rate * dw / (np.sqrt(s) + epsilon), s
        """, "rmsprop_update() s"),
        'epsilon_inside_root': ("""
            def rmsprop_update(w, dw, s, learning_rate, beta=0.9, epsilon=1e-8):
                s = beta * s + (1 - beta) * dw ** 2
                return w - learning_rate * dw / np.sqrt(s + epsilon), s
        """, "rmsprop_update() w"),
        'torch_default_beta': ("""
            def rmsprop_update(w, dw, s, learning_rate, beta=0.99, epsilon=1e-8):
                s = beta * s + (1 - beta) * dw ** 2
                return w - learning_rate * dw / (np.sqrt(s) + epsilon), s
        """, "rmsprop_update() s"),
        'gradient_not_squared': ("""
            def rmsprop_update(w, dw, s, learning_rate, beta=0.9, epsilon=1e-8):
                s = beta * s + (1 - beta) * dw
                return w - learning_rate * dw / (np.sqrt(np.abs(s)) + epsilon), s
        """, "rmsprop_update() s"),
        'in_place': ("""
            def rmsprop_update(w, dw, s, learning_rate, beta=0.9, epsilon=1e-8):
                s *= beta
                s += (1 - beta) * dw ** 2
                return w - learning_rate * dw / (np.sqrt(s) + epsilon), s
        """, "in place"),
    },
    'adam_update': {
        'epsilon_inside_root': ("""
            def adam_update(w, dw, v, s, t, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
                v = beta1 * v + (1 - beta1) * dw
                s = beta2 * s + (1 - beta2) * dw ** 2
                v_hat, s_hat = v / (1 - beta1 ** t), s / (1 - beta2 ** t)
                return w - learning_rate * v_hat / np.sqrt(s_hat + epsilon), v, s
        """, "adam_update() w"),
        'no_bias_correction': ("""
            def adam_update(w, dw, v, s, t, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
                v = beta1 * v + (1 - beta1) * dw
                s = beta2 * s + (1 - beta2) * dw ** 2
                return w - learning_rate * v / (np.sqrt(s) + epsilon), v, s
        """, "adam_update() w"),
        't_counted_from_0': ("""
            def adam_update(w, dw, v, s, t, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
                t = t + 1      # believes the caller counts from 0
                v = beta1 * v + (1 - beta1) * dw
                s = beta2 * s + (1 - beta2) * dw ** 2
                v_hat, s_hat = v / (1 - beta1 ** t), s / (1 - beta2 ** t)
                return w - learning_rate * v_hat / (np.sqrt(s_hat) + epsilon), v, s
        """, "adam_update() w"),
        'exponent_t_minus_1': ("""
            def adam_update(w, dw, v, s, t, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
                v = beta1 * v + (1 - beta1) * dw
                s = beta2 * s + (1 - beta2) * dw ** 2
                v_hat = v / (1 - np.float64(beta1) ** (t - 1))
                s_hat = s / (1 - np.float64(beta2) ** (t - 1))
                return w - learning_rate * v_hat / (np.sqrt(s_hat) + epsilon), v, s
        """, "not finite"),
        'compact_slide_extra_dw': ("""
            def adam_update(w, dw, v, s, t, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
                v = beta1 * v + (1 - beta1) * dw
                s = beta2 * s + (1 - beta2) * dw ** 2
                v_hat, s_hat = v / (1 - beta1 ** t), s / (1 - beta2 ** t)
                return w - learning_rate * v_hat / (np.sqrt(s_hat) + epsilon) * dw, v, s
        """, "adam_update() w"),
        'returns_corrected_moments': ("""
            def adam_update(w, dw, v, s, t, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
                v = (beta1 * v + (1 - beta1) * dw) / (1 - beta1 ** t)
                s = (beta2 * s + (1 - beta2) * dw ** 2) / (1 - beta2 ** t)
                return w - learning_rate * v / (np.sqrt(s) + epsilon), v, s
        """, "adam_update() v"),
        'one_minus_beta2_missing': ("""
            def adam_update(w, dw, v, s, t, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
                v = beta1 * v + (1 - beta1) * dw
                s = beta2 * s + dw ** 2
                v_hat, s_hat = v / (1 - beta1 ** t), s / (1 - beta2 ** t)
                return w - learning_rate * v_hat / (np.sqrt(s_hat) + epsilon), v, s
        """, "adam_update() s"),
        'in_place': ("""
            def adam_update(w, dw, v, s, t, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
                v *= beta1
                v += (1 - beta1) * dw
                s *= beta2
                s += (1 - beta2) * dw ** 2
                w -= learning_rate * (v / (1 - beta1 ** t)) / (np.sqrt(s / (1 - beta2 ** t)) + epsilon)
                return w, v, s
        """, "in place"),
    },
    'lr_schedule': {
        'step_without_floor': ("""
            def lr_schedule(kind, learning_rate0, epoch, **params):
                if kind == "step":
                    return learning_rate0 * params["gamma"] ** (epoch / params["step_size"])
                if kind == "exponential":
                    return learning_rate0 * params["gamma"] ** epoch
                return learning_rate0 / (1 + params["decay_rate"] * epoch)
        """, "lr_schedule('step', epoch=2)"),
        'step_off_by_one': ("""
            def lr_schedule(kind, learning_rate0, epoch, **params):
                if kind == "step":
                    return learning_rate0 * params["gamma"] ** ((epoch + 1) // params["step_size"])
                if kind == "exponential":
                    return learning_rate0 * params["gamma"] ** epoch
                return learning_rate0 / (1 + params["decay_rate"] * epoch)
        """, "lr_schedule('step', epoch=2)"),
        'exponential_from_epoch_1': ("""
            def lr_schedule(kind, learning_rate0, epoch, **params):
                if kind == "step":
                    return learning_rate0 * params["gamma"] ** (epoch // params["step_size"])
                if kind == "exponential":
                    return learning_rate0 * params["gamma"] ** (epoch + 1)
                return learning_rate0 / (1 + params["decay_rate"] * epoch)
        """, "lr_schedule('exponential', epoch=0)"),
        'inverse_compounded': ("""
            def lr_schedule(kind, learning_rate0, epoch, **params):
                if kind == "step":
                    return learning_rate0 * params["gamma"] ** (epoch // params["step_size"])
                if kind == "exponential":
                    return learning_rate0 * params["gamma"] ** epoch
                return learning_rate0 / (1 + params["decay_rate"]) ** epoch
        """, "lr_schedule('inverse', epoch=4)"),
        'inverse_multiplies': ("""
            def lr_schedule(kind, learning_rate0, epoch, **params):
                if kind == "step":
                    return learning_rate0 * params["gamma"] ** (epoch // params["step_size"])
                if kind == "exponential":
                    return learning_rate0 * params["gamma"] ** epoch
                return learning_rate0 * (1 - params["decay_rate"] * epoch)
        """, "lr_schedule('inverse', epoch=1)"),
    },
    'optimizer_init': {
        't_from_1': ("""
            def optimizer_init(params):
                return {"t": 1, "v": {k: np.zeros_like(p) for k, p in params.items()},
                        "s": {k: np.zeros_like(p) for k, p in params.items()}}
        """, "optimizer_init() for a 2-16-1 network['t']: got 1, expected 0"),
        'one_moment_for_all': ("""
            def optimizer_init(params):
                return {"t": 0, "v": 0.0, "s": 0.0}
        """, "optimizer_init() for a 2-16-1 network['v']: expected a dict"),
        'rows_only': ("""
            def optimizer_init(params):
                return {"t": 0, "v": {k: np.zeros(len(p)) for k, p in params.items()},
                        "s": {k: np.zeros(len(p)) for k, p in params.items()}}
        """, "wrong shape"),
    },
    'momentum_step': {
        'one_velocity_for_all': ("""
            def momentum_step(params, grads, state, learning_rate, beta):
                v = next(iter(state["v"].values()))          # one velocity carried from array to array
                new_params, new_v = {}, {}
                for k in params:
                    v = beta * v + (1 - beta) * grads[k]
                    new_v[k] = v
                    new_params[k] = params[k] - learning_rate * v
                return new_params, {"t": state["t"] + 1, "v": new_v, "s": state["s"]}
        """, "momentum_step() step 1 params['W2']"),
        'counter_per_array': ("""
            def momentum_step(params, grads, state, learning_rate, beta):
                t, new_params, new_v = state["t"], {}, {}
                for k in params:
                    t += 1
                    new_v[k] = beta * state["v"][k] + (1 - beta) * grads[k]
                    new_params[k] = params[k] - learning_rate * new_v[k]
                return new_params, {"t": t, "v": new_v, "s": state["s"]}
        """, "momentum_step() step 1 state['t']: got 2, expected 1"),
        'state_reset_each_call': ("""
            def momentum_step(params, grads, state, learning_rate, beta):
                v = {k: np.zeros_like(p) for k, p in params.items()}     # a fresh state in every call
                new_params = {}
                for k in params:
                    v[k] = beta * v[k] + (1 - beta) * grads[k]
                    new_params[k] = params[k] - learning_rate * v[k]
                return new_params, {"t": state["t"] + 1, "v": v, "s": state["s"]}
        """, "momentum_step() step 2 params['W1']"),
        'torch_buffer_without_mapping': ("""
            def momentum_step(params, grads, state, learning_rate, beta):
                v = {k: beta * state["v"][k] + grads[k] for k in params}   # torch's sum, with the course's rate
                return {k: params[k] - learning_rate * v[k] for k in params}, {"t": state["t"] + 1, "v": v, "s": state["s"]}
        """, "differ"),
        'updates_state_in_place': ("""
            def momentum_step(params, grads, state, learning_rate, beta):
                state["t"] += 1
                for k in params:
                    state["v"][k] = beta * state["v"][k] + (1 - beta) * grads[k]
                return {k: params[k] - learning_rate * state["v"][k] for k in params}, state
        """, "changed its argument 'state' in place"),
    },
    'adam_step': {
        'one_moment_for_all': ("""
            def adam_step(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
                t = state["t"] + 1
                v, s = next(iter(state["v"].values())), next(iter(state["s"].values()))   # one v and s for all
                new_params, new_v, new_s = {}, {}, {}
                for k in params:
                    v = beta1 * v + (1 - beta1) * grads[k]
                    s = beta2 * s + (1 - beta2) * grads[k] ** 2
                    new_v[k], new_s[k] = v, s
                    new_params[k] = params[k] - learning_rate * (v / (1 - beta1 ** t)) / (np.sqrt(s / (1 - beta2 ** t)) + epsilon)
                return new_params, {"t": t, "v": new_v, "s": new_s}
        """, "adam_step() step 1 params['W2']"),
        'counter_per_array': ("""
            def adam_step(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
                t, new_params, v, s = state["t"], {}, {}, {}
                for k in params:
                    t += 1                                   # once per array instead of once per step
                    v[k] = beta1 * state["v"][k] + (1 - beta1) * grads[k]
                    s[k] = beta2 * state["s"][k] + (1 - beta2) * grads[k] ** 2
                    new_params[k] = params[k] - learning_rate * (v[k] / (1 - beta1 ** t)) / (np.sqrt(s[k] / (1 - beta2 ** t)) + epsilon)
                return new_params, {"t": t, "v": v, "s": s}
        """, "adam_step() step 1 params['W2']"),
        'bias_correction_with_old_t': ("""
            def adam_step(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
                t = state["t"]                               # t from 0: the correction divides by 1 - beta^0
                new_params, v, s = {}, {}, {}
                for k in params:
                    v[k] = beta1 * state["v"][k] + (1 - beta1) * grads[k]
                    s[k] = beta2 * state["s"][k] + (1 - beta2) * grads[k] ** 2
                    new_params[k] = params[k] - learning_rate * (v[k] / (1 - beta1 ** t)) / (np.sqrt(s[k] / (1 - beta2 ** t)) + epsilon)
                return new_params, {"t": t + 1, "v": v, "s": s}
        """, "not finite"),
        'state_reset_each_call': ("""
            def adam_step(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
                t = state["t"] + 1
                v = {k: np.zeros_like(p) for k, p in params.items()}      # a fresh state in every call
                s = {k: np.zeros_like(p) for k, p in params.items()}
                new_params = {}
                for k in params:
                    v[k] = beta1 * v[k] + (1 - beta1) * grads[k]
                    s[k] = beta2 * s[k] + (1 - beta2) * grads[k] ** 2
                    new_params[k] = params[k] - learning_rate * (v[k] / (1 - beta1 ** t)) / (np.sqrt(s[k] / (1 - beta2 ** t)) + epsilon)
                return new_params, {"t": t, "v": v, "s": s}
        """, "adam_step() step 2 params['W1']"),
        'corrected_moments_stored': ("""
            def adam_step(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
                t = state["t"] + 1
                new_params, v, s = {}, {}, {}
                for k in params:
                    v[k] = (beta1 * state["v"][k] + (1 - beta1) * grads[k]) / (1 - beta1 ** t)
                    s[k] = (beta2 * state["s"][k] + (1 - beta2) * grads[k] ** 2) / (1 - beta2 ** t)
                    new_params[k] = params[k] - learning_rate * v[k] / (np.sqrt(s[k]) + epsilon)
                return new_params, {"t": t, "v": v, "s": s}
        """, "adam_step() step 1 state['v']['W1']"),
    },
}

HIDDEN_ONLY = {}

# Each docstring line of each graded function (key: a verbatim fragment of the docstring) and the visible check
# that tests it (value: a verbatim fragment of the visible part of the function's test cell); docs/lesson-rules.md 4.
PROMISES = {
    'ewa': {
        "Exponentially weighted averages of a sequence.": "# The slides' example: s = 0.81, 0.9, 0.96, 0.34 and beta = 0.9.",
        "values -- numpy array of shape (n,), the sequence s_1, ..., s_n (left unchanged)":
            'expected=ewa_reference(s, 0.5), pure=True',
        "beta -- float, 0 <= beta < 1, the weight of the past": "on 7 values with beta = 0.5",
        "bias_correction -- bool; if True, return V_t / (1 - beta^t) instead of V_t":
            'quantity="ewa() with bias_correction=True"',
        "V -- numpy array of shape (n,): V_t = beta * V_{t-1} + (1 - beta) * s_t for t = 1..n, with V_0 = 0;":
            'quantity="ewa() from V_0 = 0"',
        "divided by (1 - beta^t) when bias_correction is True": "expected=np.array([0.81, 0.857368, 0.895240, 0.733786])",
    },
    'momentum_update': {
        "One step of gradient descent with momentum.": "# The slides' sequence (to 6 decimals): learning_rate 0.1, beta 0.9",
        "w -- numpy array of any shape, the parameters": "4 steps on a 2 x 3 array.",
        "dw -- numpy array of the shape of w, the gradient dJ/dw": '"dw": grads[t]',
        "v -- numpy array of the shape of w, the velocity (the EWA of past gradients; zeros before the first step)":
            "# v is the EWA of the gradients whatever the learning rate",
        "learning_rate -- float >= 0, alpha": "with learning_rate = 0, w stays and only v moves.",
        "beta -- float, 0 <= beta < 1": '"learning_rate": 0.05, "beta": 0.8}',
        "w -- numpy array of the shape of w, w - learning_rate * v_new": 'expected=(ws[t + 1], vs[t + 1]), names=("w", "v")',
        "v -- numpy array of the shape of w, v_new = beta * v + (1 - beta) * dw":
            "expected=(np.array([1.0]), np.array([0.081]))",
        "The arguments are left unchanged.": "pure=True",
    },
    'nesterov_update': {
        "One step of Nesterov momentum, in the form that uses the gradient at the current w.":
            "# Oracle: torch.optim.SGD(lr=learning_rate * (1 - beta), momentum=beta, nesterov=True)",
        "w -- numpy array of any shape, the parameters": "4 steps on a 3 x 2 array.",
        "dw -- numpy array of the shape of w, the gradient dJ/dw at w": '"dw": grads[t]',
        "v -- numpy array of the shape of w, the velocity (zeros before the first step)": '"v": np.array([0.0])',
        "learning_rate -- float >= 0, alpha": "with learning_rate = 0, w stays and only v moves.",
        "beta -- float, 0 <= beta < 1": '"learning_rate": 0.05, "beta": 0.8}',
        "w -- numpy array of the shape of w, w - learning_rate * ((1 - beta) * dw + beta * v_new)":
            "w_seq = [1.0, 0.98461, 0.960949, 0.929514, 0.903403]",
        "v -- numpy array of the shape of w, v_new = beta * v + (1 - beta) * dw": "# v moves as in momentum",
        "The arguments are left unchanged.": "pure=True",
    },
    'adagrad_update': {
        "One step of AdaGrad.": "# Oracle: torch.optim.Adagrad(lr, eps=epsilon)",
        "w -- numpy array of any shape, the parameters": "4 steps on a 2 x 3 array whose last column sees gradients of",
        "dw -- numpy array of the shape of w, the gradient dJ/dw": '"dw": grads[t]',
        "s -- numpy array of the shape of w, the sum of the squared past gradients (zeros before the first step)":
            "# s adds up the squared gradients whatever the learning rate",
        "learning_rate -- float >= 0, alpha": "with learning_rate = 0, w stays and only s moves",
        "epsilon -- float > 0, added to sqrt(s_new) (outside the square root)":
            "where epsilon's place (and its default, 1e-8) matters.",
        "w -- numpy array of the shape of w, w - learning_rate * dw / (sqrt(s_new) + epsilon)":
            "w_seq = [1.0, 0.9, 0.825671, 0.763543, 0.742054]",
        "s -- numpy array of the shape of w, s_new = s + dw**2": "s_seq = [0.0, 0.6561, 1.4661, 2.3877, 2.5033]",
        "The arguments are left unchanged.": "pure=True",
    },
    'rmsprop_update': {
        "One step of RMSprop.": "# Oracle: torch.optim.RMSprop(lr, alpha=beta, eps=epsilon)",
        "w -- numpy array of any shape, the parameters": "4 steps on a 2 x 3 array whose last column sees",
        "dw -- numpy array of the shape of w, the gradient dJ/dw": '"dw": grads[t]',
        "s -- numpy array of the shape of w, the EWA of the squared past gradients (zeros before the first step)":
            "# s is the EWA of dw^2 whatever the learning rate",
        "learning_rate -- float >= 0, alpha": "with learning_rate = 0, w stays and only s moves.",
        "beta -- float, 0 <= beta < 1": '"beta": 0.7',
        "epsilon -- float > 0, added to sqrt(s_new) (outside the square root)": '"epsilon": 1e-6}',
        "w -- numpy array of the shape of w, w - learning_rate * dw / (sqrt(s_new) + epsilon)":
            "w_seq = [1.0, 0.683772, 0.443279, 0.237766, 0.163206]",
        "s -- numpy array of the shape of w, s_new = beta * s + (1 - beta) * dw**2":
            "s_seq = [0.0, 0.06561, 0.140049, 0.2182041, 0.20794369]",
        "The arguments are left unchanged.": "pure=True",
    },
    'adam_update': {
        "One step of Adam.": "# Oracle: torch.optim.Adam, 4 steps (t = 1..4)",
        "w -- numpy array of any shape, the parameters": "on a 2 x 3 array whose last column sees gradients of about 1e-6;",
        "dw -- numpy array of the shape of w, the gradient dJ/dw": '"dw": grads[t]',
        "v -- numpy array of the shape of w, the EWA of past gradients (zeros before the first step)":
            '"v": np.array([0.0]), "s": np.array([0.0])',
        "s -- numpy array of the shape of w, the EWA of past squared gradients (zeros before the first step)":
            '"v": np.array([0.0]), "s": np.array([0.0])',
        "t -- int >= 1, the number of this step (t = 1 on the first call)": "t = 1, 2, 3, 4.",
        "learning_rate -- float >= 0, alpha": "with learning_rate = 0, w stays and only v and s move.",
        "beta1, beta2 -- floats, 0 <= beta < 1, the decay rates of v and s": '"beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6}',
        "epsilon -- float > 0, added to sqrt(s_hat) (outside the square root)":
            "# first with the defaults, then with other betas and epsilon.",
        "w -- numpy array of the shape of w, w - learning_rate * v_hat / (sqrt(s_hat) + epsilon), where":
            "w_seq = [1.0, 0.9, 0.799864, 0.699521, 0.606751]",
        "v_hat = v_new / (1 - beta1**t) and s_hat = s_new / (1 - beta2**t)": '"t": t + 1, "learning_rate": 0.1}',
        "v -- numpy array of the shape of w, v_new = beta1 * v + (1 - beta1) * dw (not bias-corrected)":
            "# The state holds the uncorrected moments",
        "s -- numpy array of the shape of w, s_new = beta2 * s + (1 - beta2) * dw**2 (not bias-corrected)":
            "s_seq = [0.0, 0.0006561, 0.0014654439, 0.0023855784561, 0.0024987928776439]",
        "The arguments are left unchanged.": "pure=True",
    },
    'lr_schedule': {
        "The learning rate of a schedule at a given epoch.": "for epoch in [0, 2, 3, 5, 6, 7]:",
        'kind -- "step", "exponential" or "inverse"': '{"kind": "exponential", "learning_rate0": 0.2',
        "learning_rate0 -- float > 0, the rate at epoch 0": "for epoch in [0, 1, 10]:",
        "epoch -- int >= 0": "for epoch, rate in [(0, 0.1), (1, 0.05), (4, 0.02)]:",
        "params -- the schedule's parameters, by keyword: step_size (int >= 1) and gamma (float) for \"step\";":
            '"step_size": 3, "gamma": 0.5}',
        'gamma (float) for "exponential"; decay_rate (float >= 0) for "inverse"': '"decay_rate": 0.5}',
        'learning_rate -- float: learning_rate0 * gamma ** (epoch // step_size) for "step",':
            "# StepLR(step_size=3, gamma=0.5) from 0.1: the rate halves at epochs 3, 6, ...; epochs on both sides of each step.",
        'learning_rate0 * gamma ** epoch for "exponential",': "# ExponentialLR(gamma=0.9) from 0.2",
        'learning_rate0 / (1 + decay_rate * epoch) for "inverse"':
            "# 1 / (1 + decay_rate * epoch) (assignment 02): 0.1, 0.05, 0.02 with decay_rate 1",
    },
    'optimizer_init': {
        "The state of an optimizer before its first step, for every parameter array of a network.":
            "# A deeper network, 3-5-4-2 (keys W1 ... b3): every key gets its own zeros.",
        'params -- dict of numpy arrays, e.g. {"W1": (n_1, n_0), "b1": (n_1, 1), "W2": (n_2, n_1), ...} (left unchanged)':
            'quantity="optimizer_init() for a 2-16-1 network", pure=True)',
        "state -- dict with three entries:": "# The initial state of torch.optim.Adam, in the course's form",
        '"t": the int 0, the number of steps taken so far (torch\'s state["step"] also starts at 0)':
            "t = 0 (torch's step counter before the first step)",
        '"v": dict, for every key of params an array of zeros of that parameter\'s shape (first moments)':
            '# and under "v" and "s" one array of zeros per parameter, of its shape.',
        '"s": dict, for every key of params an array of zeros of that parameter\'s shape (second moments)':
            '# and under "v" and "s" one array of zeros per parameter, of its shape.',
    },
    'momentum_step': {
        "One step of gradient descent with momentum for every parameter array of a network.":
            "# Oracle: torch.optim.SGD(lr=learning_rate * (1 - beta), momentum=beta) training the 2-16-1 network",
        'params -- dict of numpy arrays, the parameters, e.g. {"W1": (n_1, n_0), "b1": (n_1, 1), ...}':
            'small = {"W1": rng.normal(size=(3, 2)), "b1": rng.normal(size=(3, 1))',
        "grads -- dict of numpy arrays with the keys and shapes of params: grads[k] = dJ/dparams[k]":
            "small_grads = [{k: rng.normal(size=p.shape) for k, p in small.items()} for _ in range(3)]",
        'state -- dict {"t": int, "v": dict of arrays, "s": dict of arrays}, as optimizer_init returns it or the previous':
            "# Two arrays of the same shape keep separate velocities, and the state carries over: 3 steps.",
        "step left it; v[k] is the velocity of params[k], of its shape": "# Two arrays of the same shape keep separate velocities",
        "learning_rate -- float >= 0, alpha": "# First step from the initial state with learning_rate = 0: the parameters stay",
        "beta -- float, 0 <= beta < 1": '"learning_rate": 0.1, "beta": 0.8},',
        "params -- a new dict: params[k] - learning_rate * v_new[k] for every key k":
            'expected=(ps[k + 1], sts[k + 1]), names=("params", "state"), pure=True,',
        'state -- a new dict: "t" is state["t"] + 1 (once per call, whatever the number of arrays);':
            "t goes from 0 to 1 (once per call,\n# not once per array)",
        '"v" holds v_new[k] = beta * v[k] + (1 - beta) * grads[k] for every key k; "s" is passed on unchanged':
            "every array gets its own velocity (1 - beta) * dw.",
        "The arguments are left unchanged.": 'names=("params", "state"), pure=True)',
    },
    'adam_step': {
        "One step of Adam for every parameter array of a network.":
            "# Oracle: torch.optim.Adam training the 2-16-1 network on 30 points for 20 steps",
        'params -- dict of numpy arrays, the parameters, e.g. {"W1": (n_1, n_0), "b1": (n_1, 1), ...}':
            'small = {"W1": rng.normal(size=(3, 2)), "b1": rng.normal(size=(3, 1))',
        "grads -- dict of numpy arrays with the keys and shapes of params: grads[k] = dJ/dparams[k]":
            "small_grads = [{k: rng.normal(size=p.shape) for k, p in small.items()} for _ in range(3)]",
        'state -- dict {"t": int, "v": dict of arrays, "s": dict of arrays}, as optimizer_init returns it or the previous':
            "# Two arrays of the same shape keep separate moments, and the state carries over",
        "step left it; v[k] and s[k] are the moments of params[k], of its shape":
            "# Two arrays of the same shape keep separate moments",
        "learning_rate -- float >= 0, alpha": "# First step from the initial state with learning_rate = 0: the parameters stay",
        "beta1, beta2 -- floats, 0 <= beta < 1, the decay rates of v and s": '"beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6}',
        "epsilon -- float > 0, added to sqrt(s_hat) (outside the square root)": "with other betas and epsilon",
        "params -- a new dict: params[k] - learning_rate * v_hat / (sqrt(s_hat) + epsilon) for every key k, where":
            'expected=(ps[k + 1], sts[k + 1]), names=("params", "state"), pure=True,',
        "v_hat = v_new[k] / (1 - beta1**t) and s_hat = s_new[k] / (1 - beta2**t) with the new t":
            "3 steps, t = 1, 2, 3.",
        'state -- a new dict: "t" is state["t"] + 1 (once per call, whatever the number of arrays);':
            "t goes from 0 to 1 (once per call,\n# not once per array)",
        '"v" holds v_new[k] = beta1 * v[k] + (1 - beta1) * grads[k] (not bias-corrected);':
            "every array gets its own moments. Oracle: torch.optim.Adam.",
        '"s" holds s_new[k] = beta2 * s[k] + (1 - beta2) * grads[k]**2 (not bias-corrected)':
            "every array gets its own moments. Oracle: torch.optim.Adam.",
        "The arguments are left unchanged.": 'names=("params", "state"), pure=True)',
    },
}
