"""Issue 24's "half the trials" on 80 fresh tasks: ``confirm-2`` and ``confirm-3`` (round 24).

Why: at stop 56 the confirmation suite (``heldout_confirm.py``, 40 tasks) gave TPESearchCV at
40 candidates against random search at 80 a mean of -0.03 task sd, 95% interval -0.064 to
+0.003: not met (the criterion is a lower end above -0.05), nor refuted. The tasks' spread of
that difference is about 0.10 task sd, so an interval that can clear the margin at a mean of
-0.03 needs about 110 tasks (at -0.02, about 50). This round adds 80 tasks on which random
search and that comparison have never run.

Stated before the run (stop 61, committed before a row of this round existed, at sktpe source
ab302d76ce67, the defaults of stops 46-60; sktpe's source is not edited until both runs are
complete, and the reader refuses TPESearchCV rows of another source):

* **The tasks.** ``confirm-2`` (``confirm2_tasks.py``, 40 tasks, stop 57): what was measured
  on it before is TPESearchCV alone, at 40 and 80 candidates with and without re-evaluation
  (round 21, file ``confirm2_reevaluate``), read only as differences between those two; random
  search has never run on it, nor has its comparison with TPESearchCV been read.
  ``confirm-3`` (``confirm3_tasks.py``, 40 tasks): defined by a later commit of this stop,
  before any of its rows exists, from Rdatasets files that no other suite uses, chosen from
  their descriptions and sizes only (data loaded and estimators timed, no search), by a helper
  that reads no row of this round.
* **Run**, per suite (``confirm-2`` from a fresh clone of the stating commit; ``confirm-3``
  from a fresh clone of the commit that defines it), seeds 0-19::

      python benchmarks/heldout.py --suite confirm-2 --seeds 0-19 --methods default,random \\
          --budgets 10,20,40,80 --horizon 1 --file half_confirm2 --n-jobs 2
      python benchmarks/heldout.py --suite confirm-2 --seeds 0-19 --methods tpe \\
          --budgets 40 --file half_confirm2 --n-jobs 2

  and the same with ``confirm-3`` and ``half_confirm3``. ``--horizon 1``: random search stops
  at 80 candidates (its first 80 are those of a longer run; checked on three ``confirm``
  tasks), so no comparison at equal time is made. TPESearchCV runs at 40 only: the primary
  test needs no other budget. Optuna, HalvingRandomSearchCV and racing are not run (cost). A
  run cut short by the end of a session is resumed by the same command (rows already made are
  not redone); a method that raises on a task stops the run: the run is resumed without that
  task (``--tasks``), and the task is named and left out of every pool. Every run made is
  reported whatever it shows.
* **Nothing is read until both suites hold every method on every seed and task**; then once.
* **The primary test, half the trials**: per task, the mean over the 20 seeds of TPESearchCV's
  test score at 40 candidates minus random search's at 80 (same split and folds), in that
  task's sd (``heldout_report.task_scale``: random search's test scores over the seeds and the
  four budgets); the mean over the 80 tasks of both suites with its 95% t-interval over the
  tasks. **Met if the interval's lower end is above -0.05 task sd** (round 10's margin). One
  test, no correction.
* **Secondary, stated, none a test of the criterion**: (a) the same statistic on each suite
  alone; (b) pooled over 120 tasks with the confirmation suite's 40 (its stated run at sktpe
  source 116a1d9ace7f): a second look at those 40, reported as such; (c) TPESearchCV at 40
  against random search at 40, pooled over the 80 tasks (the same statistic, Wilcoxon over the
  tasks); (d) per task, TPESearchCV at 40 against random search at 80 (Wilcoxon over the
  seeds, Holm over the 80 tasks): the tasks where random search is significantly ahead,
  named; (e) the tasks where TPESearchCV's worst seed at 40 is below random search's worst at
  40 and at 80, counted; (f) TPESearchCV at 40 against the estimator's defaults per task
  (Wilcoxon over the seeds, Holm over the 80 tasks): tasks better and worse.
* **Expected**: if the true mean is the confirmation suite's -0.03 with its spread, the
  80-task interval is about +-0.022 wide and the test is met with probability about 0.4; at
  -0.01, about 0.95.
"""

from __future__ import annotations

#: The sktpe source the run was stated for.
SKTPE = "ab302d76ce67"
#: Each suite's results file (``benchmarks/results/heldout/<file>.jsonl``).
FILES = {"confirm-2": "half_confirm2", "confirm-3": "half_confirm3"}
SEEDS = tuple(range(20))
#: Random search's budgets (one run read at each) and TPESearchCV's.
RANDOM_BUDGETS, TPE_BUDGET = (10, 20, 40, 80), 40
#: The margin of the primary test, in task sd (round 10's).
MARGIN = 0.05
