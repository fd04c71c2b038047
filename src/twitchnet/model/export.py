"""Write the network in the files other tools open: BIF and XMLBIF.

Both files hold the same nodes, arcs and numbers as :meth:`twitchnet.DiagnosticModel.to_pgmpy`
(every number written with all its digits, so posteriors computed from the file equal
twitchnet's to 1e-9), under names that every reader accepts. BIF identifiers are letters,
digits and underscores, not starting with a digit, so a state name is written through
:func:`safe_name`:

* a name that is already an identifier is kept (``False``, ``True``, ``female``, ``male``);
* ``+`` becomes ``plus``, every other character outside letters, digits and ``_`` becomes ``_``;
* a name that then starts with a digit gets the prefix ``s``;
* a BIF keyword (``network``, ``variable``, ``probability``, ``property``, ``type``, ``discrete``,
  ``default``, ``table``: pyAgrum refuses them as names) gets the suffix ``_`` (``table_``).

For the default model: age ``18-39 -> s18_39``, ``40-59 -> s40_59``, ``60-69 -> s60_69``,
``70+ -> s70plus``. :func:`state_names` gives the mapping of a whole model, and
:func:`file_evidence` translates twitchnet evidence into the file's names. Node names are the
vocabulary ids (already identifiers) through the same rule, so only an id that is a BIF keyword
changes (:func:`node_names`). The network's name is written as a quoted string of letters, digits,
spaces and ``_.+-`` (anything else becomes ``_``; the words ``variable`` and ``probability``
are capitalised, as pgmpy's reader looks for them anywhere), so that no name can break the file. No
third-party package is needed to write either file.
"""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path
from xml.sax.saxutils import escape

__all__ = ["check_table_size", "file_evidence", "node_names", "safe_name", "state_names", "table_cells", "to_bif", "to_xmlbif"]

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


#: Reserved words of the BIF grammar (case-sensitive): not a node or state name in pyAgrum's reader.
BIF_KEYWORDS = frozenset({"network", "variable", "probability", "property", "type", "discrete", "default", "table"})


def safe_name(name):
    """The identifier a state or node name is written as (see the module docstring for the rule)."""
    if _IDENT.match(name):
        out = name
    else:
        out = re.sub(r"[^A-Za-z0-9_]", "_", name.replace("+", "plus"))
        out = "s" + out if out[:1].isdigit() or not out else out
    return out + "_" if out in BIF_KEYWORDS else out


def node_names(model):
    """``{node: name in the file}`` for every node of the network (its id, or ``id_`` for a BIF keyword).

    Raises
    ------
    KnowledgeBaseError
        When two nodes would get the same name.
    """
    from twitchnet._validation import fail
    from twitchnet.errors import KnowledgeBaseError

    out = {node: safe_name(node) for node, _, _, _ in _tables(model)}
    if len(set(out.values())) != len(out):
        clash = sorted(n for n in out if list(out.values()).count(out[n]) > 1)
        raise fail(KnowledgeBaseError, "vocabulary", "ids that stay distinct as BIF names (a keyword id gets the suffix _)", clash)
    return out


_XML_INVALID = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]"  # no character of XML 1.0


def _network_name(name):
    # pgmpy's reader finds "variable" and "probability" anywhere in the file, even inside quotes
    text = re.sub(r"variable|probability", lambda m: m.group().capitalize(), re.sub(r"[^A-Za-z0-9_ .+-]", "_", name))
    return '"' + text + '"'


def state_names(model):
    """``{node: {twitchnet state: name in the file}}`` for every node of the network.

    Raises
    ------
    KnowledgeBaseError
        When two states of one node would get the same name.
    """
    from twitchnet._validation import fail
    from twitchnet.errors import KnowledgeBaseError

    out = {}
    for node, states, _, _ in _tables(model):
        names = {s: safe_name(s) for s in states}
        if len(set(names.values())) != len(names):
            raise fail(KnowledgeBaseError, f"risk_factors.toml: {node}.states", "state names that stay distinct as identifiers", list(states))
        out[node] = names
    return out


def file_evidence(model, evidence):
    """Translate twitchnet evidence into ``{node: state name in the file}`` (see :func:`state_names`)."""
    names, nodes = state_names(model), node_names(model)
    return {nodes[node]: names[node][state] for node, state in model.to_pgmpy_evidence(evidence).items()}


def table_cells(model):
    """``(total, largest node, its size)``: the numbers in the model's full tables, from its
    structure alone (nothing is built).
    """
    kb = model.kb
    states = {r.id: len(r.states) for r in kb.risk_factors}
    sizes = [(r.id, states[r.id] * (states[r.parent] if r.parent is not None else 1)) for r in kb.risk_factors]
    sizes += [(cid, 2 * math.prod(states[p] for p in model.cause_parents(cid))) for cid in model.cause_ids]
    sizes += [(f.id, 2 * 2 ** len(f.links)) for f in kb.findings]
    sizes += [(c.id, len(c.states) * 2 ** len(c.levels)) for c in kb.categories]
    node, largest = max(sizes, key=lambda t: t[1])
    return sum(n for _, n in sizes), node, largest


def check_table_size(model, what):
    """Refuse, before anything is built, a model whose full tables exceed
    :data:`twitchnet.limits.MAX_TABLE_CELLS` (:class:`~twitchnet.errors.EngineLimitError` naming
    the limit and the largest table).
    """
    from twitchnet._validation import fail
    from twitchnet.errors import EngineLimitError
    from twitchnet.limits import MAX_TABLE_CELLS

    total, node, largest = table_cells(model)
    if total > MAX_TABLE_CELLS:
        raise fail(EngineLimitError, what, f"a model whose full tables hold at most {MAX_TABLE_CELLS:,} numbers "
                   "(twitchnet.limits.MAX_TABLE_CELLS; a finding with k causes has a table of 2 * 2**k)",
                   f"{total:,} numbers (the largest table: {node}, {largest:,})")


def _tables(model):
    """Yield ``(node, states, parents, columns)`` in topological order: ``columns`` holds, for every
    combination of the parents' states (the last parent varying fastest), the node's distribution.
    """
    kb = model.kb
    states = {r.id: tuple(r.states) for r in kb.risk_factors}
    yes_no = ("False", "True")
    for rf in kb.risk_factors:  # a parent is always defined earlier in the file
        if rf.parent is None:
            yield rf.id, rf.states, (), [[model.risk_factor_probability(rf.id, s) for s in rf.states]]
        else:
            cols = [[model.risk_factor_probability(rf.id, s, {rf.parent: ps}) for s in rf.states] for ps in states[rf.parent]]
            yield rf.id, rf.states, (rf.parent,), cols
    for cid in model.cause_ids:
        parents = model.cause_parents(cid)
        cols = []
        for combo in itertools.product(*(states[p] for p in parents)):
            present, absent = model._cause_pair(cid, dict(zip(parents, combo)))
            cols.append([absent, present])
        yield cid, yes_no, tuple(parents), cols
    for f in kb.findings:
        parents = tuple(link.cause for link in f.links)
        p = {link.cause: link.p.value for link in f.links}
        cols = []
        for combo in itertools.product(yes_no, repeat=len(parents)):
            log0 = math.log1p(-f.leak.value) + sum(math.log1p(-p[c]) for c, s in zip(parents, combo) if s == "True")
            cols.append([math.exp(log0), -math.expm1(log0)])
        yield f.id, yes_no, parents, cols
    for cat in kb.categories:  # the highest level present, the first state when none is: deterministic
        cols = []
        for combo in itertools.product((False, True), repeat=len(cat.levels)):
            top = max((j for j, on in enumerate(combo, start=1) if on), default=0)
            cols.append([float(k == top) for k in range(len(cat.states))])
        yield cat.id, cat.states, cat.levels, cols


def _num(x):
    return repr(float(x))  # the shortest text that reads back as the same double


def _named_tables(model, what):
    """The file-safe state and node names and every node's table, as both writers read them."""
    check_table_size(model, what)
    return state_names(model), node_names(model), list(_tables(model))


def to_bif(model, path):
    """Write ``model`` as a BIF file (pgmpy's ``BIFReader``, pyAgrum's ``loadBN``, and others).

    Parameters
    ----------
    model : twitchnet.DiagnosticModel
    path : str or os.PathLike

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    EngineLimitError
        For a model whose full tables exceed :data:`twitchnet.limits.MAX_TABLE_CELLS` numbers
        (see :func:`table_cells`), before anything is written.
    """
    names, nodes, tables = _named_tables(model, "to_bif")
    lines = [f"network {_network_name(model.name)} {{", "}"]
    for node, states, _, _ in tables:
        lines += [f"variable {nodes[node]} {{", f"  type discrete [ {len(states)} ] {{ {', '.join(names[node][s] for s in states)} }};", "}"]
    for node, _, parents, cols in tables:
        if not parents:
            lines += [f"probability ( {nodes[node]} ) {{", f"  table {', '.join(map(_num, cols[0]))};", "}"]
            continue
        lines.append(f"probability ( {nodes[node]} | {', '.join(nodes[p] for p in parents)} ) {{")
        combos = itertools.product(*(model.kb.risk_factors[model.risk_factor_ids.index(p)].states if p in model.risk_factor_ids else ("False", "True") for p in parents))
        for combo, col in zip(combos, cols):
            lines.append(f"  ({', '.join(names[p][s] for p, s in zip(parents, combo))}) {', '.join(map(_num, col))};")
        lines.append("}")
    path = Path(path)
    path.write_text("\n".join(lines) + "\n")
    return path


def to_xmlbif(model, path):
    """Write ``model`` as an XMLBIF 0.3 file (pgmpy's ``XMLBIFReader``, pyAgrum's ``loadBN``, Weka...):
    the same arguments and return value as :func:`to_bif`.
    """
    names, nodes, tables = _named_tables(model, "to_xmlbif")
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<BIF VERSION="0.3">', "<NETWORK>", f"<NAME>{escape(re.sub(_XML_INVALID, '_', model.name))}</NAME>"]
    for node, states, _, _ in tables:
        out.append('<VARIABLE TYPE="nature">')
        out.append(f"  <NAME>{nodes[node]}</NAME>")
        out += [f"  <OUTCOME>{names[node][s]}</OUTCOME>" for s in states]
        out.append("</VARIABLE>")
    for node, _, parents, cols in tables:
        out.append("<DEFINITION>")
        out.append(f"  <FOR>{nodes[node]}</FOR>")
        out += [f"  <GIVEN>{nodes[p]}</GIVEN>" for p in parents]
        out.append(f"  <TABLE>{' '.join(_num(x) for col in cols for x in col)}</TABLE>")  # parents' states outer, last fastest
        out.append("</DEFINITION>")
    out += ["</NETWORK>", "</BIF>"]
    path = Path(path)
    path.write_text("\n".join(out) + "\n")
    return path
