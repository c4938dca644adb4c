"""The journal: a search's trials written to a file as they settle, so a later fit resumes.

The file is JSON lines: a header (the format, what the search was run on,
its seed), then one line per settled trial (its number, its parameters, its
fold records, its state and score). Each line is flushed and synced before
the search goes on, and is only ever appended, so a process killed in the
middle of a write loses at most that line: an unfinished last line is cut
off when the file is opened again.

Loading runs no code: it parses JSON only. A value from a list is stored by
its position in the list, a number as a number.

Resuming replays the search: the sampler is asked again, from the same seed,
and every fold task of a trial the journal holds is answered from the file
instead of being fitted. With the same settings and number of workers the
replayed search makes the same choices, so it ends where an uninterrupted
one would have.
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
import os
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import sklearn
from scipy import stats
from joblib import effective_n_jobs
from sklearn.utils import check_random_state

from . import _sklearn_compat as compat
from ._describe import describe, unwrapped
from ._space import SearchSpace, _describe, _listed_values, _NewStyle
from ._trials import Record, State, Trial
from ._warnings import user_stacklevel

__all__ = ["Journal", "encode_params", "journal_seed", "search_signature"]

FORMAT = "sktpe-journal"
VERSION = 1
_HEADER_START = json.dumps({"format": FORMAT})[:-1]  # how every header line begins


@dataclass
class Entry:
    """One settled trial, as read from the journal."""

    number: int
    params: dict
    folds: list[Record]
    skipped: tuple[int, ...]
    state: State
    score: float
    asynchronous: bool | None = None  # proposed asynchronously (None: written before recorded)


def _plain(value: Any, what: str, exact: bool = False) -> Any:
    """``value`` as JSON can hold it: numbers, text, None, and lists and dicts of them.

    JSON gives a tuple back as a list and a dict's keys as text: with ``exact``
    (values a resumed search takes back as they are) such values are refused,
    otherwise (values only compared, or read as text) they are written so.
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, dict) and (not exact or all(isinstance(k, str) for k in value)):
        return {str(k): _plain(v, what, exact) for k, v in value.items()}
    if isinstance(value, list) or (isinstance(value, tuple) and not exact):
        return [_plain(v, what, exact) for v in value]
    changed = " (JSON would give it back changed)" if isinstance(value, (dict, tuple)) else ""
    raise TypeError(
        f"journal cannot store {what} {value!r} of type {type(value).__name__}{changed}: it "
        f"stores numbers, text, None, and lists and dicts of them (an asynchronous search, "
        f"which takes its trials back from the file, only lists and dicts with text keys), "
        f"and values from lists by their position. Put such values in a list in "
        f"param_distributions, or set journal=None."
    )


def encode_params(space: SearchSpace, params: dict, exact: bool = False) -> dict:
    """``{'branch': b, 'values': {...}}``: a list's value by its position, a number as itself
    (``exact``: refuse a value JSON would give back changed, see :func:`_plain`)."""
    b = space.branches[space.encode(params).branch]  # the dict the parameters belong to
    values = {}
    for d in b.dims:
        v = params[d.name]
        if d.kind == "categorical":
            values[d.name] = {"index": int(d.index(v))}
        else:
            values[d.name] = _plain(v, f"the value of {d.name!r}", exact)
    return {"branch": b.index, "values": values}


def decode_params(space: SearchSpace, code: dict) -> dict:
    """The parameter dict :func:`encode_params` wrote."""
    branch = space.branches[code["branch"]]
    values = code["values"]
    return {d.name: d.choices[values[d.name]["index"]] if d.kind == "categorical" else values[d.name]
            for d in branch.dims}


def space_signature(space: SearchSpace) -> list:
    """What each dict of the space holds: names, kinds, distributions and lists."""
    out = []
    for b in space.branches:
        dims = []
        for d in b.dims:
            what = describe(d.choices) if d.kind == "categorical" else (
                _describe(d.dist) if hasattr(d, "dist") else describe(d))
            dims.append([d.name, d.kind, what])
        out.append(dims)
    return out


def shape_signature(space: SearchSpace) -> list:
    """The quantiles of each distribution whose description (``space_signature``) leaves
    out what it draws: scipy's new interface (``stats.Uniform(a=..., b=...)``),
    ``rv_histogram`` and ``rv_discrete(values=...)``; ``None`` for the others."""
    grid = np.linspace(0.0, 1.0, 129)[1:-1]
    out = []
    for b in space.branches:
        for d in b.dims:
            dist = getattr(d, "dist", None)
            gen = getattr(dist, "dist", dist)
            opaque = (isinstance(dist, _NewStyle) or isinstance(gen, stats.rv_histogram)
                      or _listed_values(dist) is not None)
            if not opaque:
                out.append(None)
                continue
            with np.errstate(all="ignore"):
                out.append(describe(np.asarray(dist.ppf(grid), dtype=float)))
    return out


def search_signature(search: Any, space: SearchSpace, X: Any, y: Any, splits: list,
                     n_startup: int, metric: str | None, fit_params: dict | None = None) -> dict:
    """What a search runs on and with: a journal resumed by another search is refused.

    ``metric``: the metric TPE optimises with several (None: one metric, or the first).
    """
    seeded = isinstance(search.random_state, numbers.Integral)
    settings = {k: getattr(search, k) for k in (
        "gamma", "n_ei_candidates", "multivariate", "bandwidth", "batch_size", "racing",
        "error_score", "return_train_score", "max_fit_time")}
    return {
        "estimator": describe(search.estimator),
        "param_distributions": space_signature(space),
        "param_quantiles": shape_signature(space),
        **data_signature(X, y, splits, fit_params),
        "scoring": describe(search.scoring),
        "settings": _plain({
            "random_state": int(search.random_state) if seeded else "drawn",
            "n_startup_trials": n_startup,
            **settings,
            # 'auto' batches depend on the number of workers; an explicit size does not
            "workers": effective_n_jobs(search.n_jobs) if search.batch_size == "auto" else None,
            "refit": metric,
            # With racing, max_time races the known and start-up candidates in batches
            # (_scheduler.Scheduler._next_batch): another search. Recorded with racing only;
            # a racing file written before it was recorded is not checked for it (_check).
            **({"timed_racing": search.max_time is not None} if search.racing else {}),
        }, "a setting"),
    }


#: What each hash of the signature stands for, in a refusal.
_DATA_KEYS = {
    "data": "other X or y (their numbers or shapes differ)",
    "folds": "other folds (cv, or the groups given to fit)",
    "contents": "other data or fit parameters (sparse or non-numeric X or y, or a fit "
                "parameter such as sample_weight)",
    "columns": "an X with other column names",
    "param_quantiles": "another distribution in param_distributions (one of scipy's new "
                       "interface, an rv_histogram or an rv_discrete(values=...), told "
                       "apart by its quantiles)",
}
#: Signature entries that files written before they were recorded lack: such a file
#: resumes as before ("contents": sparse and non-numeric data and fit parameters;
#: "param_quantiles": distributions whose description leaves out what they draw;
#: "columns": the column names of a data frame X).
_RECORDED_LATER = frozenset({"contents", "param_quantiles", "columns"})


def _is_score(value: Any) -> bool:
    """A fold's score as the file holds it: a number (a bool too, which scikit-learn takes
    from a scorer), or a dict of numbers (several metrics)."""
    if isinstance(value, dict):
        return bool(value) and all(map(_is_score, value.values()))
    return isinstance(value, (int, float))


def _stored(record: dict) -> dict:
    """``record`` with its scores as ``cv_results_`` takes them (``compat.real_scores``: a
    complex one as its real part), which JSON can hold."""
    return {k: compat.real_scores(v) if k in ("test_scores", "train_scores") else v
            for k, v in record.items()}


def _is_record(r: Any) -> bool:
    """Whether ``r`` is a fold record as sktpe writes one (the keys and types of
    scikit-learn's ``_fit_and_score``'s, which the search reads back)."""
    return (isinstance(r, dict) and compat.RECORD_KEYS <= r.keys()
            and (r["fit_error"] is None or isinstance(r["fit_error"], str))
            and _is_score(r["test_scores"]) and _is_score(r.get("train_scores", 0.0))
            and isinstance(r["n_test_samples"], int) and not isinstance(r["n_test_samples"], bool)
            and _is_score(r["fit_time"]) and _is_score(r["score_time"]))


def _settled(state: State, skipped: tuple[int, ...]) -> str:
    """How a trial settled, in words (a refused replay names both)."""
    if state is State.RACED_OUT:
        return f"raced out before fold {skipped[0]}" if skipped else "raced out"
    return state.value


def journal_seed(random_state: Any) -> int:
    """The sampler's seed a new journal keeps: ``random_state`` itself if it is an int."""
    if isinstance(random_state, numbers.Integral):
        return int(random_state)
    return int(check_random_state(random_state).randint(2**31 - 1))


def data_signature(X: Any, y: Any, splits: list, fit_params: dict | None = None) -> dict:
    """Shapes of the data, a hash of it where it is numeric, a hash of the folds,
    (``contents``) a hash of what the first leaves out: sparse and non-numeric data, such
    as a DataFrame with a bool or text column, and the fit parameters, and (``columns``)
    a hash of a data frame X's column names."""
    h = hashlib.sha256()
    rest = hashlib.sha256()
    for name, a in (("X", X), ("y", y)):
        arr = np.asarray(a) if a is not None and not hasattr(a, "tocsr") else None
        if arr is not None and arr.dtype.kind in "biufc":
            h.update(np.ascontiguousarray(arr).tobytes())
        else:  # (hashed apart: "data" keeps its value for the files written before)
            rest.update(name.encode() + b"=" + _contents(a) + b"|")
        h.update(repr(getattr(a, "shape", None)).encode())
    for name in sorted(fit_params or {}):
        rest.update(name.encode() + b"=" + _contents(fit_params[name]) + b"|")
    folds = hashlib.sha256()
    for _, test in splits:
        folds.update(np.asarray(test, dtype=np.int64).tobytes() + b"|")
    # A frame's column names, which the numbers leave out: a pipeline that selects
    # columns by name fits other data when they change. Only a frame has the entry, so
    # an array and a frame of the same numbers resume as before (checked where both have
    # it), since no pipeline selects a column of an array by name.
    out = {"data": h.hexdigest()[:16], "folds": folds.hexdigest()[:16],
           "contents": rest.hexdigest()[:16]}
    names = getattr(X, "columns", None)
    if names is not None:
        out["columns"] = hashlib.sha256(describe(list(names)).encode()).hexdigest()[:16]
    return out


def _contents(a: Any) -> bytes:
    """Bytes that change with the value of a data set or fit parameter, where it can be
    read without running its code: numbers, sparse matrices, pandas objects, and lists of
    JSON values (text, dicts of numbers); anything else by its type and shape."""
    if a is None:
        return b"None"
    if hasattr(a, "tocsr"):  # scipy.sparse: its canonical CSR arrays
        m = a.tocsr()
        if not m.has_canonical_format:
            m = m.copy()
            m.sum_duplicates()
        return b"sparse" + repr((m.shape, str(m.dtype))).encode() + b"".join(
            np.ascontiguousarray(v).tobytes() for v in (m.indptr, m.indices, m.data))
    if type(a).__module__.split(".")[0] == "pandas" and hasattr(a, "dtypes"):
        import pandas as pd  # only reached with a pandas object

        frame = hasattr(a, "columns")
        head = repr((list(a.columns) if frame else a.name,
                     [str(d) for d in (a.dtypes if frame else [a.dtype])], a.shape))
        try:
            values = pd.util.hash_pandas_object(a, index=False).to_numpy().tobytes()
        except TypeError:  # cells pandas cannot hash (lists): by their text
            values = repr(a.to_numpy().tolist()).encode()
        return b"pandas" + head.encode() + values
    try:
        arr = np.asarray(a)
    except ValueError:  # a ragged list
        arr = None
    if arr is not None and arr.dtype.kind in "biufcmMSU":
        return repr((arr.shape, str(arr.dtype))).encode() + np.ascontiguousarray(arr).tobytes()
    try:
        payload = a.tolist() if isinstance(a, np.ndarray) else a
        return b"json" + json.dumps(payload, sort_keys=True, allow_nan=True).encode()
    except (TypeError, ValueError):
        return repr((type(a).__name__, getattr(a, "shape", None))).encode()


def _libraries() -> dict[str, str]:
    """The versions a journal's header records: the library whose estimators it fits."""
    return {"scikit-learn": sklearn.__version__}


def _workers(n: Any) -> str:
    return f"{n!r} worker" + ("" if n == 1 else "s")


class Journal:
    """An open journal file: the trials it held when opened, and appends as trials settle.

    Parameters
    ----------
    path : str or path-like
    signature : dict
        What the search is run on and with (estimator, space, data, folds,
        scoring, settings); a file written by a search with another gets an
        error naming what differs.
    seed : int
        The sampler's seed for a new file (a file being resumed keeps its own).
    space : SearchSpace
    exact : bool, default=False
        Parameter values must come back from JSON unchanged: the file may be
        taken back as it is (``restores``) by a later fit. Otherwise the
        file's values are only compared with those the search asks for again.
    asynchronous : bool, default=False
        This search proposes asynchronously (its proposals depend on timing);
        each trial line records it.

    Attributes
    ----------
    restores : bool
        The search takes the file's trials back as they are instead of
        replaying them: it proposes asynchronously, or some of the file's
        trials were (those of files written before each line recorded it:
        where the search had ``batch_size='async'``).
    """

    def __init__(self, path: Any, signature: dict, seed: int, space: SearchSpace,
                 exact: bool = False, asynchronous: bool = False) -> None:
        self.path, self.space = os.fspath(path), space
        self.exact, self.asynchronous = exact, asynchronous
        self.entries: dict[int, Entry] = {}
        header, lines = self._read()
        if header is not None:
            self._check(header["signature"], signature)
            self._check_libraries(header.get("libraries", {}))
            self.seed = int(header["seed"])
            n_folds = None
            for i, line in enumerate(lines, 2):
                e = self._parse(line, i, n_folds)
                self.entries[e.number] = e
                n_folds = len(e.folds)
            self._mode, self._header = "a", None
        else:
            self.seed = int(seed)
            self._mode, self._header = "w", {
                "format": FORMAT, "version": VERSION, "signature": signature,
                "seed": self.seed, "libraries": _libraries()}
        unrecorded = signature["settings"].get("batch_size") == "async"
        self.restores = asynchronous or any(
            e.asynchronous or (e.asynchronous is None and unrecorded) for e in self.entries.values())
        # The file is opened at the first write: a fit refused after this (by a check of
        # the search's own) leaves it as it was, and holds no handle open.
        self._fh: Any = None

    def _check_libraries(self, written: dict) -> None:
        """Warn if the file's trials were fitted with another scikit-learn (whose estimator
        defaults, which the estimator's description leaves out, may differ); files written
        before the header recorded it are taken as they are."""
        for name, now in _libraries().items():
            then = written.get(name)
            if then is not None and then != now:
                warnings.warn(
                    f"journal={self.path!r} was written with {name} {then}, and this is {now}: "
                    f"the resumed search keeps the file's trials, fitted with {then} (whose "
                    f"estimator defaults may differ), beside new ones fitted with {now}. "
                    f"Resume with {name} {then} to keep to one version, or give a new file.",
                    UserWarning, stacklevel=user_stacklevel(),
                )

    def __len__(self) -> int:
        return len(self.entries)

    def _not_a_journal(self) -> ValueError:
        return ValueError(
            f"journal={self.path!r} is not an sktpe journal (version {VERSION}); it was left "
            f"as it is. Give the path of a new file or of a journal sktpe wrote."
        )

    def _check_writable(self) -> None:
        """Refuse, before any fit, a path the journal cannot be written to (a folder that
        does not exist, a directory, no permission): the file itself is opened at the
        first finished candidate. A new file made to find out is removed again."""
        existed = os.path.lexists(self.path)
        try:
            with open(self.path, "a", encoding="utf-8"):
                pass
        except OSError as exc:
            raise ValueError(
                f"journal={self.path!r} cannot be written ({exc.strerror}). Give the path of "
                f"a file sktpe can write, in a folder that exists."
            ) from None
        if not existed:
            os.remove(self.path)

    def _read(self) -> tuple[dict | None, list[str]]:
        """The file's header and its complete trial lines (None, [] for a new file).

        The file is checked to be an sktpe journal before it is changed in
        any way: any other file is refused untouched. Then an unfinished
        last line (a killed write) is cut off; an empty file, or one holding
        only the start of a header (killed while it was written), is new.
        """
        self._check_writable()
        try:
            with open(self.path, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            return None, []
        end = data.rfind(b"\n") + 1
        try:  # the complete lines; with none, the header's start
            text = (data[:end] if end else data).decode("utf-8")
        except UnicodeDecodeError:
            raise self._not_a_journal() from None
        if not end:
            if _HEADER_START.startswith(text) or text.startswith(_HEADER_START):
                return None, []
            raise self._not_a_journal()
        first, *lines = text.splitlines()
        try:
            header = json.loads(first)
        except json.JSONDecodeError:
            header = None
        if not isinstance(header, dict) or header.get("format") != FORMAT \
                or header.get("version") != VERSION or not isinstance(header.get("signature"), dict) \
                or not isinstance(header["signature"].get("settings", {}), dict) \
                or not isinstance(header.get("libraries", {}), dict) \
                or not isinstance(header.get("seed"), int):
            raise self._not_a_journal()
        if end < len(data):
            with open(self.path, "r+b") as fh:
                fh.truncate(end)
        return header, lines

    def _parse(self, line: str, number: int, n_folds: int | None = None) -> Entry:
        """The settled trial on line ``number`` of the file (with ``n_folds`` folds, those of
        the file's first trial, where given)."""
        try:
            e = json.loads(line)
            proposed = e.get("asynchronous")
            entry = Entry(int(e["number"]), dict(e["params"]), list(e["folds"]),
                          tuple(e["skipped"]), State(e["state"]), float(e["score"]),
                          None if proposed is None else bool(proposed))
            if (not entry.folds or not all(map(_is_record, entry.folds))
                    or n_folds is not None and len(entry.folds) != n_folds):
                raise ValueError("a fold record")
            return entry
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
            raise ValueError(
                f"journal={self.path!r}: line {number} is not a trial sktpe wrote; the file "
                f"was changed by something else than sktpe. Give a new file."
            ) from None

    def _check(self, old: dict, new: dict) -> None:
        """Raise, naming the first thing that differs, unless ``old`` is ``new`` (as JSON)."""
        def same(a: Any, b: Any) -> bool:
            return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)

        new = unwrapped(json.loads(json.dumps(new)))  # as the file holds it (tuples as lists, ...)
        old = unwrapped(old)
        if "timed_racing" not in old.get("settings", {}):  # written before it was recorded
            new.get("settings", {}).pop("timed_racing", None)
        for key, value in new.items():
            theirs = old.get(key)
            if same(theirs, value) or key in _RECORDED_LATER and key not in old:
                continue
            if isinstance(value, dict) and isinstance(theirs, dict):  # name the one setting
                key, theirs, value = next(
                    (k, theirs.get(k), value.get(k)) for k in [*value, *theirs]
                    if not same(theirs.get(k), value.get(k))
                )
            if key == "workers":  # not a parameter: say which one sets it
                raise ValueError(
                    f"journal={self.path!r} was written by a search with batch_size='auto' on "
                    f"{_workers(theirs)}, and this one has {_workers(value)}: 'auto' batches "
                    f"depend on the number of workers. Resume it with an n_jobs that gives "
                    f"{_workers(theirs)}, or give a new file (a search started with an explicit "
                    f"batch_size resumes on any number of workers)."
                )
            if key == "timed_racing":
                was = "with max_time" if theirs else "without max_time"
                fix = ("with max_time set (large enough to finish, e.g. max_time=1e9)"
                       if theirs else "without max_time")
                raise ValueError(
                    f"journal={self.path!r} was written by a racing search {was}, and this "
                    f"one is {'with' if value else 'without'} it: with racing, max_time "
                    f"makes the initial and start-up candidates race in batches of "
                    f"batch_size, another search. Resume it {fix}, or give a new file."
                )
            if key in _DATA_KEYS:  # hashes: say what they stand for
                raise ValueError(
                    f"journal={self.path!r} was written by a search on {_DATA_KEYS[key]} than "
                    f"this one's. Resume it with the same data, folds and fit parameters, or "
                    f"give a new file to start a new search."
                )
            hint = (f" (it is at most n_iter, and with 'auto' it follows n_iter: to resume "
                    f"with another n_iter, pass n_startup_trials={theirs!r} and an n_iter of "
                    f"{theirs!r} or more)" if key == "n_startup_trials" else "")
            raise ValueError(
                f"journal={self.path!r} was written by a search with another {key} "
                f"({theirs!r} there, {value!r} here). Resume it with the same "
                f"{key}{hint}, or give a new file to start a new search."
            )

    def _append(self, record: dict) -> None:
        if self._fh is None:
            self._fh = open(self.path, self._mode, encoding="utf-8")
            if self._header is not None:
                self._fh.write(json.dumps(self._header, allow_nan=True) + "\n")
        self._fh.write(json.dumps(record, allow_nan=True) + "\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    # -- replay -----------------------------------------------------------------------
    def records(self, trial: Trial, fold: int | None = None) -> list[Record] | None:
        """``trial``'s fold records from the file (every fold, or ``[fold]``); None if it has none."""
        entry = self.entries.get(trial.number)
        if entry is None:
            return None
        if entry.params != encode_params(self.space, trial.params):
            raise ValueError(
                f"journal={self.path!r} holds other parameters for candidate {trial.number} "
                f"({entry.params!r}) than this search asks for ({trial.params!r}): it was "
                f"written with other settings (random_state, n_jobs, batch_size, racing or "
                f"the sampler's), or by another version of sktpe, whose sampler proposes "
                f"otherwise. Resume with the settings and version that wrote it, or give a new "
                f"file."
            )
        if fold is None:
            return [dict(r) for r in entry.folds]
        if fold in entry.skipped:
            raise ValueError(
                f"journal={self.path!r}: candidate {trial.number} skipped fold {fold} when it "
                f"was written; the search now runs it, so its settings differ (or it was written "
                f"by another version of sktpe, whose racing decides otherwise). Resume with the "
                f"settings and version that wrote it, or give a new file."
            )
        return [dict(entry.folds[fold])]

    def trials(self) -> list[Trial]:
        """The trials the file holds, settled, in the order they were written."""
        out = []
        for e in self.entries.values():
            # A failed trial is learnt as NaN (compat.fold_objectives); a file written before
            # that holds the mean with a numeric error_score.
            score = math.nan if e.state is State.FAILED else e.score
            t = Trial(e.number, decode_params(self.space, e.params), [dict(r) for r in e.folds],
                      skipped=e.skipped, state=e.state, score=score)
            out.append(t)
        return out

    def check(self, params: dict) -> None:
        """Raise, before ``params`` is fitted, if the file cannot store it (see ``_plain``)."""
        encode_params(self.space, params, self.exact)

    def write(self, trial: Trial) -> None:
        """Append a settled trial. One the file already holds is not written again; replayed,
        it must have settled as it did when written (a race decided otherwise: refused)."""
        entry = self.entries.get(trial.number)
        if entry is not None:
            if entry.state is not trial.state or entry.skipped != tuple(trial.skipped):
                raise ValueError(
                    f"journal={self.path!r}: candidate {trial.number} was "
                    f"{_settled(entry.state, entry.skipped)} when it was written, and is "
                    f"{_settled(trial.state, tuple(trial.skipped))} now, so the search's "
                    f"settings differ from those that wrote it, or it was written by another "
                    f"version of sktpe (whose racing decides otherwise). Resume with the "
                    f"settings and version that wrote it, or give a new file."
                )
            return
        self._append({
            "number": trial.number,
            "params": encode_params(self.space, trial.params, self.exact),
            "folds": [_plain(_stored(r), "a fold record") for r in trial.folds],
            "skipped": list(trial.skipped),
            "state": trial.state.value,
            "score": trial.score,
            "asynchronous": self.asynchronous,
        })
