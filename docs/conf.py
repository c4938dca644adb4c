"""Sphinx configuration for the sktpe documentation.

Build with ``make docs`` (warnings are errors). No extension needs network:
intersphinx is deliberately not enabled.
"""

import os
import sys

sys.path.insert(0, os.path.abspath(".."))

import sktpe  # noqa: E402

project = "sktpe"
author = "sktpe developers"
copyright = "sktpe developers"
version = release = sktpe.__version__

extensions = [
    "sphinx.ext.autodoc",
    "numpydoc",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

# autodoc / numpydoc: the reference pages list their members explicitly.
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# MyST: ``{eval-rst}`` blocks, ``$...$`` never needed; heading anchors for
# links such as ``guide/settings.md#gamma``.
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

html_theme = "alabaster"
html_title = f"sktpe {release}"
html_theme_options = {
    "description": "Tree-structured Parzen Estimator search for scikit-learn",
    "fixed_sidebar": True,
}

suppress_warnings = [
    # Docstrings inherited from scikit-learn (e.g. the ``n_features_in_``
    # property of BaseSearchCV, listed in TPESearchCV's Attributes) refer to
    # scikit-learn's glossary with :term:, unavailable without intersphinx.
    "ref.term",
    # Pages written elsewhere may be a one-line placeholder without a title
    # for a while; the toctree gives them an explicit title.
    "toc.no_title",
]
