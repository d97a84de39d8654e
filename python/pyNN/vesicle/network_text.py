"""The PyNN network as network-language text (docs/LANGUAGE.md) plus the data files it names.

Every PyNN construct maps to one statement:
  Population(IF_curr_exp | IF_curr_delta | native)  -> population P = N lif_exp(...) { V_m = ... }
  Population(SpikeSourcePoisson)                    -> population P = N poisson_source(rate = ...)
  Population(SpikeSourceArray)                      -> population P = N spike_source(times = [[...], ...])
  Projection(AllToAll | OneToOne | FixedProbability | FixedNumberPre | FixedNumberPost)
                                                    -> connect ... all_to_all | one_to_one |
                                                       pairwise_bernoulli(p) | fixed_indegree(n) | fixed_outdegree(n)
  Projection(FixedTotalNumber)                      -> connect ... fixed_total_number(n)
  Projection(FromList)                              -> connect ... from_file("conns_K.csv")  (source,target[,weight,delay])
  BayesianSynapse                                   -> synapse bK = bayesian(...), connect ... using bK
  DCSource / StepCurrentSource                      -> input dcK = current(amplitude = ...) -> P[a:b] start .. stop ..
  record('spikes'), record('v')                     -> record spikes P, record membrane P[a:b] every dt
Anything else raises NotImplementedError naming the construct.
"""
import csv
import os

import numpy as np
from pyNN import connectors
from pyNN.random import RandomDistribution

from .populations import Assembly, Population, PopulationView
from . import standardmodels


def _number(value):
    value = float(value)
    if not np.isfinite(value):
        raise ValueError("pyNN.vesicle: value %r is not finite" % value)
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


def _q(value, unit):
    return "%s %s" % (_number(value), unit) if unit else _number(value)


def _distribution(rd, unit, what):
    p = dict(rd.parameters)
    if rd.name == "uniform":
        return "uniform(%s, %s)" % (_q(p["low"], unit), _q(p["high"], unit))
    if rd.name == "normal":
        return "normal(%s, %s)" % (_q(p["mu"], unit), _q(p["sigma"], unit))
    if rd.name == "normal_clipped":
        low, high = p.get("low", -np.inf), p.get("high", np.inf)
        if low == 0 and high == np.inf:
            return "normal(%s, %s, clip = positive)" % (_q(p["mu"], unit), _q(p["sigma"], unit))
        if low == -np.inf and high == 0:
            return "normal(%s, %s, clip = negative)" % (_q(p["mu"], unit), _q(p["sigma"], unit))
    if rd.name == "lognormal":
        return "lognormal(mu = %s, sigma = %s%s)" % (_number(p["mu"]), _number(p["sigma"]),
                                                    ", unit = 1 %s" % unit if unit else "")
    raise NotImplementedError(
        "pyNN.vesicle: %s drawn from RandomDistribution(%r, %s) cannot be written in the network language, "
        "which has uniform, normal, normal clipped at 0 and lognormal" % (what, rd.name, p))


def _random_base(value):
    base = getattr(value, "base_value", None)
    return base if isinstance(base, RandomDistribution) else None


def _uniform_value(array, what):
    array = np.asarray(array)
    if array.size == 0:
        raise ValueError("pyNN.vesicle: %s has no values" % what)
    first = array.flat[0]
    if not np.all(array == first):
        raise NotImplementedError(
            "pyNN.vesicle: %s differs between neurons; Vesicle's neuron models take one value per population "
            "(create one Population per value)" % what)
    return first


def _population_value(population, name, unit, distribution_allowed):
    value = population._parameters[name]
    rd = _random_base(value)
    what = "parameter %r of population %r" % (name, population.label)
    if rd is not None:
        if not distribution_allowed:
            raise NotImplementedError("pyNN.vesicle: %s is random; the language draws random values per neuron "
                                      "only for Poisson rates and initial V_m" % what)
        return _distribution(rd, unit, what)
    return _q(_uniform_value(population._parameter_array(name), what), unit)


def _root(cells):
    """(root Population, indices within it) of a Population or PopulationView."""
    if isinstance(cells, Population):
        return cells, np.arange(cells.size)
    if isinstance(cells, PopulationView):
        parent, indices = _root(cells.parent)
        return parent, indices[np.arange(cells.parent.size)[cells.mask]]
    if isinstance(cells, Assembly):
        raise NotImplementedError("pyNN.vesicle: projections and current sources take a Population or "
                                  "PopulationView, not an Assembly (make one Projection per population)")
    raise TypeError("expected a Population or PopulationView, got %r" % type(cells).__name__)


def _runs(indices):
    """Sorted indices as half-open contiguous ranges [(a, b), ...]."""
    indices = np.unique(np.asarray(indices, dtype=int))
    result = []
    start = previous = None
    for i in indices:
        if start is None:
            start = previous = i
        elif i == previous + 1:
            previous = i
        else:
            result.append((start, previous + 1))
            start = previous = i
    if start is not None:
        result.append((start, previous + 1))
    return result


def _reference(population, a, b):
    if a == 0 and b == population.size:
        return population._vsl_name
    return "%s[%d:%d]" % (population._vsl_name, a, b)


def _slice_reference(cells, what):
    population, indices = _root(cells)
    runs = _runs(indices)
    if len(runs) != 1 or not np.array_equal(indices, np.arange(runs[0][0], runs[0][1])):
        raise NotImplementedError(
            "pyNN.vesicle: %s selects neurons %s... that are not one contiguous ascending range; the language "
            "references populations and slices P[a:b] (use a FromListConnector for arbitrary pairs)"
            % (what, list(indices[:6])))
    return population, _reference(population, *runs[0])


_CANONICAL_WEIGHT_FACTOR = {"mV": 1.0, "nA": 1000.0, "pA": 1.0}  # to the engine's mV / pA


def check_projection(projection):
    """Raise NotImplementedError now for what write_network could not write."""
    _connection_rule(projection, dry_run=True)
    post, _ = _root(projection.post)
    if getattr(post.celltype, "weight_unit", None) is None:
        raise NotImplementedError("pyNN.vesicle: projections onto %s are not possible" % type(post.celltype).__name__)
    synapse = projection.synapse_type
    if not isinstance(synapse, standardmodels.StaticSynapse):
        raise NotImplementedError("pyNN.vesicle: synapse type %s is outside the engine; use StaticSynapse or "
                                  "BayesianSynapse" % type(synapse).__name__)


def _connection_rule(projection, dry_run=False, directory=None, index=0):
    c = projection._connector
    same = _root(projection.pre)[0] is _root(projection.post)[0]
    clauses = []

    def autapses(allow):
        if allow == "NoMutual":
            raise NotImplementedError("pyNN.vesicle: allow_self_connections='NoMutual' has no language equivalent")
        if same and not allow:
            clauses.append("autapses false")

    if isinstance(c, connectors.FromListConnector):
        return _from_list(projection, dry_run, directory, index)
    if type(c) is connectors.AllToAllConnector:
        autapses(c.allow_self_connections)
        rule = "all_to_all"
    elif type(c) is connectors.OneToOneConnector:
        rule = "one_to_one"
    elif type(c) is connectors.FixedProbabilityConnector:
        autapses(c.allow_self_connections)
        rule = "pairwise_bernoulli(%s)" % _number(c.p_connect)
    elif type(c) in (connectors.FixedNumberPreConnector, connectors.FixedNumberPostConnector,
                     connectors.FixedTotalNumberConnector):
        if isinstance(c.n, RandomDistribution) or not float(c.n).is_integer():
            raise NotImplementedError("pyNN.vesicle: %s with a random or fractional n" % type(c).__name__)
        autapses(c.allow_self_connections)
        if not c.with_replacement:
            clauses.append("multapses false")
        name = {connectors.FixedNumberPreConnector: "fixed_indegree",
                connectors.FixedNumberPostConnector: "fixed_outdegree",
                connectors.FixedTotalNumberConnector: "fixed_total_number"}[type(c)]
        rule = "%s(%d)" % (name, int(c.n))
    else:
        raise NotImplementedError(
            "pyNN.vesicle: %s is outside the engine's connection rules; available: AllToAllConnector, "
            "OneToOneConnector, FixedProbabilityConnector, FixedNumberPreConnector, FixedNumberPostConnector, "
            "FixedTotalNumberConnector, FromListConnector" % type(c).__name__)
    pre = _slice_reference(projection.pre, "the presynaptic side of projection %r" % projection.label)[1]
    post = _slice_reference(projection.post, "the postsynaptic side of projection %r" % projection.label)[1]
    return pre, post, rule, clauses, ("weight", "delay")


def _from_list(projection, dry_run, directory, index):
    c = projection._connector
    names = list(c.column_names) if getattr(c, "column_names", None) is not None else []
    extra = [n for n in names if n not in ("weight", "delay")]
    if extra:
        raise NotImplementedError("pyNN.vesicle: FromListConnector columns %s are not connection attributes the "
                                  "engine has (weight, delay)" % extra)
    pre_root, pre_indices = _root(projection.pre)
    post_root, post_indices = _root(projection.post)
    if dry_run:
        return None
    conn = np.asarray(c.conn_list, dtype=float)
    if conn.ndim != 2 or conn.shape[0] == 0:
        raise ValueError("pyNN.vesicle: FromListConnector of projection %r has no connections" % projection.label)
    if not names:
        names = ["weight", "delay"][: conn.shape[1] - 2]
    weight_unit = post_root.celltype.weight_unit
    factor = _CANONICAL_WEIGHT_FACTOR[weight_unit]
    path = "conns_%d.csv" % index
    with open(os.path.join(directory, path), "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["source", "target"] + names)
        for row in conn:
            values = [int(pre_indices[int(row[0])]), int(post_indices[int(row[1])])]
            for k, name in enumerate(names):
                value = row[2 + k] * factor if name == "weight" else row[2 + k]
                values.append(_number(value))
            writer.writerow(values)
    missing = tuple(n for n in ("weight", "delay") if n not in names)
    return pre_root._vsl_name, post_root._vsl_name, 'from_file("%s")' % path, [], missing


def _synapse_value(projection, name, unit, state):
    value = projection.synapse_type.parameter_space[name]
    rd = _random_base(value)
    what = "%s of projection %r" % (name, projection.label)
    if rd is not None:
        return _distribution(rd, unit, what)
    base = getattr(value, "base_value", value)
    if base is None:
        d = state.min_delay if state.min_delay != "auto" else state.dt
        return _q(d, unit)
    if callable(base):
        raise NotImplementedError("pyNN.vesicle: %s is a function of distance; the engine has no space" % what)
    array = np.asarray(base, dtype=float)
    if array.size != 1:
        array = np.asarray(value.evaluate(simplify=False) if hasattr(value, "evaluate") else base, dtype=float)
        raise NotImplementedError("pyNN.vesicle: %s is an array; give one value or a RandomDistribution, or use "
                                  "a FromListConnector with a weight column" % what)
    return _q(array.flat[0], unit)


def _bayesian(synapse, name):
    b = synapse.bayesian
    args = ["link = %s" % b["link"]]
    if b["release"] == "fixed_ratio":
        args.append("release = fixed_ratio(k = %s)" % _q(b["k"], "mV"))
    else:
        args.append("release = %s" % b["release"])
    for key, unit in (("prior_mean", ""), ("prior_var", ""), ("tau", "ms"), ("initial_var", ""),
                      ("assumed_ratio", "mV")):
        if b[key] is not None:
            args.append("%s = %s" % (key, _q(b[key], unit)))
    if b["initial_mean"] is not None:
        value = b["initial_mean"]
        args.append("initial_mean = %s" % (_distribution(value, "", "initial_mean")
                                            if isinstance(value, RandomDistribution) else _number(value)))
    if b["rule"] not in (None, "none"):
        args.append("rule = %s" % b["rule"])
    return "synapse %s = bayesian(%s)" % (name, ", ".join(args))


def _population_statement(population, state, lines):
    celltype = population.celltype
    model = getattr(celltype, "vsl_model", None)
    if model is None:
        raise NotImplementedError("pyNN.vesicle: cell type %s is outside the engine" % type(celltype).__name__)
    name = population._vsl_name
    if model == "spike_source":
        trains = population._parameter_array("spike_times")
        lists = []
        for train in trains:
            times = np.asarray(getattr(train, "value", train), dtype=float)
            lists.append("[" + ", ".join(_q(t, "ms") for t in times) + "]")
        if all(text == lists[0] for text in lists):
            times_text = lists[0]
        else:
            times_text = "[" + ", ".join(lists) + "]"
        lines.append("population %s = %d spike_source(times = %s)" % (name, population.size, times_text))
        return
    if model == "poisson_source":
        start = _uniform_value(population._parameter_array("start"), "start of %r" % population.label)
        duration = _uniform_value(population._parameter_array("duration"), "duration of %r" % population.label)
        if start != 0 or start + duration < state.t:
            raise NotImplementedError(
                "pyNN.vesicle: SpikeSourcePoisson %r starts at %g ms and lasts %g ms; the engine's poisson_source "
                "fires for the whole run (start = 0, duration longer than the run)" % (population.label, start, duration))
        rate = _population_value(population, "rate", "Hz", True)
        lines.append("population %s = %d poisson_source(rate = %s)" % (name, population.size, rate))
        return
    args = []
    for pynn_name, vsl_name, unit in celltype.vsl_parameters:
        if vsl_name in ("rho_0", "delta_V") and np.all(population._parameter_array(pynn_name) == 0):
            continue
        args.append("%s = %s" % (vsl_name, _population_value(population, pynn_name, unit, False)))
    text = "population %s = %d %s(%s)" % (name, population.size, model, ", ".join(args))
    initial = population._initial.get("v")
    if initial is not None:
        rd = _random_base(initial)
        if rd is not None:
            text += " { V_m = %s }" % _distribution(rd, "mV", "initial v of %r" % population.label)
        else:
            text += " { V_m = %s }" % _q(_uniform_value(population._initial_array("v"),
                                                        "initial v of %r" % population.label), "mV")
    for variable, value in population._initial.items():
        if variable in ("isyn_exc", "isyn_inh") and np.any(population._initial_array(variable) != 0):
            raise NotImplementedError("pyNN.vesicle: initial %s other than 0 is not settable" % variable)
    lines.append(text)


def _current_statements(state, lines):
    k = 0
    for source, cells in state.current_sources:
        if isinstance(cells, (Population, PopulationView)):
            groups = [_root(cells)]
        else:
            groups = {}
            for cell in cells:
                root = cell.parent if isinstance(cell.parent, Population) else _root(cell.parent)[0]
                groups.setdefault(id(root), (root, []))[1].append(root.id_to_index(cell))
            groups = [(root, np.array(idx)) for root, idx in groups.values()]
        ps = source.parameter_space
        ps.shape = (1,)
        ps.evaluate(simplify=True)
        if isinstance(source, standardmodels.DCSource):
            pieces = [(float(ps["amplitude"]), float(ps["start"]), float(ps["stop"]))]
        else:
            times = np.asarray(getattr(ps["times"], "value", ps["times"]), dtype=float)
            amplitudes = np.asarray(getattr(ps["amplitudes"], "value", ps["amplitudes"]), dtype=float)
            pieces = [(a, t, times[i + 1] if i + 1 < times.size else 1e12)
                      for i, (t, a) in enumerate(zip(times, amplitudes))]
        for population, indices in groups:
            for a, b in _runs(indices):
                for amplitude, start, stop in pieces:
                    if amplitude == 0 or stop <= start:
                        continue
                    text = "input dc%d = current(amplitude = %s) -> %s" % (k, _q(amplitude, "nA"),
                                                                          _reference(population, a, b))
                    if start > 0:
                        text += " start %s" % _q(start, "ms")
                    if stop < 1e11:
                        text += " stop %s" % _q(stop, "ms")
                    lines.append(text)
                    k += 1


def _foldable_sources(state):
    """{population: projection} for SpikeSourcePoisson populations that are only one-to-one drives:
    not recorded, the presynaptic side of exactly one projection, whole, OneToOne, static scalar
    weight and delay, one rate. Such a pair is the language's `input poisson(...) -> targets`: an
    independent Poisson train into each target neuron, the same process, run by the engine's
    per-neuron drive (one draw per arrival, no source neurons, no delivery queue)."""
    uses = {}
    for projection in state.projections:
        try:
            root = _root(projection.pre)[0]
        except NotImplementedError:
            continue
        uses.setdefault(id(root), []).append(projection)
    folded = {}
    for population in state.populations:
        if not isinstance(population.celltype, standardmodels.SpikeSourcePoisson):
            continue
        if any(ids for ids in population.recorder.recorded.values()):
            continue
        projections = uses.get(id(population), [])
        if len(projections) != 1:
            continue
        projection = projections[0]
        if projection.pre is not population or type(projection._connector) is not connectors.OneToOneConnector:
            continue
        if type(projection.synapse_type) is not standardmodels.StaticSynapse:
            continue
        try:
            rate = _uniform_value(population._parameter_array("rate"), "rate")
            _uniform_value(population._parameter_array("start"), "start")
            _uniform_value(population._parameter_array("duration"), "duration")
            _slice_reference(projection.post, "")
            for name in ("weight", "delay"):
                value = projection.synapse_type.parameter_space[name]
                if _random_base(value) is not None:
                    raise NotImplementedError
                base = getattr(value, "base_value", value)
                if base is not None and (callable(base) or np.asarray(base).size != 1):
                    raise NotImplementedError
        except (NotImplementedError, ValueError):
            continue
        if rate > 0:
            folded[id(population)] = projection
    return folded


def _input_statement(population, projection, state):
    rate = _uniform_value(population._parameter_array("rate"), "rate")
    start = _uniform_value(population._parameter_array("start"), "start")
    duration = _uniform_value(population._parameter_array("duration"), "duration")
    post_root, post = _slice_reference(projection.post, "")
    unit = post_root.celltype.weight_unit
    text = "input %s = poisson(rate = %s) -> %s weight %s delay %s" % (
        population._vsl_name, _q(rate, "Hz"), post, _synapse_value(projection, "weight", unit, state),
        _synapse_value(projection, "delay", "ms", state))
    if start > 0:
        text += " start %s" % _q(start, "ms")
    if start + duration < 1e9:
        text += " stop %s" % _q(start + duration, "ms")
    return text


def write_network(state, directory):
    """Write network.vsl (and conns_K.csv files) into `directory`; returns (path, text)."""
    lines = ["# written by pyNN.vesicle from a PyNN script", ""]
    folded = _foldable_sources(state)
    for population in state.populations:
        if id(population) not in folded:
            _population_statement(population, state, lines)
    for population in state.populations:
        if id(population) in folded:
            lines.append(_input_statement(population, folded[id(population)], state))
    _current_statements(state, lines)
    folded_projections = {id(p) for p in folded.values()}
    for k, projection in enumerate(state.projections):
        if id(projection) in folded_projections:
            continue
        pre, post, rule, clauses, wanted = _connection_rule(projection, directory=directory, index=k)
        post_root = _root(projection.post)[0]
        unit = post_root.celltype.weight_unit
        synapse = projection.synapse_type
        name = "prj%d" % k
        text = "connect %s -> %s %s" % (pre, post, rule)
        if isinstance(synapse, standardmodels.BayesianSynapse):
            lines.append(_bayesian(synapse, "bayes%d" % k))
            text += " using bayes%d" % k
            if "weight" in wanted:
                base = getattr(synapse.parameter_space["weight"], "base_value", None)
                if base is None or callable(base) or isinstance(base, RandomDistribution):
                    raise NotImplementedError("pyNN.vesicle: a BayesianSynapse weight gives only the sign; "
                                              "give one number")
                sign = _uniform_value(np.sign(np.asarray(base, dtype=float)), "weight sign")
                text += " weight %s" % _q(1.0 if sign >= 0 else -1.0, unit)
        elif "weight" in wanted:
            text += " weight %s" % _synapse_value(projection, "weight", unit, state)
        if "delay" in wanted:
            text += " delay %s" % _synapse_value(projection, "delay", "ms", state)
        for clause in clauses:
            text += " " + clause
        text += ' as "%s"' % name
        lines.append(text)
        if isinstance(synapse, standardmodels.BayesianSynapse) and synapse.record_releases:
            lines.append('record releases "%s" limit %d' % (name, int(synapse.record_releases)))
    for population in state.populations:
        recorded = {variable.name: ids for variable, ids in population.recorder.recorded.items() if ids}
        if "spikes" in recorded:
            lines.append("record spikes %s" % population._vsl_name)
        if "v" in recorded:
            indices = [population.id_to_index(i) for i in recorded["v"]]
            lines.append("record membrane %s every %s" % (
                _reference(population, min(indices), max(indices) + 1),
                _q(population.recorder.sampling_interval, "ms")))
        unknown = set(recorded) - {"spikes", "v"}
        if unknown:
            raise NotImplementedError("pyNN.vesicle records spikes and v, not %s" % sorted(unknown))
    lines.append("simulate %s seed %d resolution %s" % (_q(state.t, "ms"), state.seed, _q(state.dt, "ms")))
    text = "\n".join(lines) + "\n"
    path = os.path.join(directory, "network.vsl")
    with open(path, "w") as handle:
        handle.write(text)
    return path, text
