"""Sphinx configuration for the sktpe documentation.

Build with ``make docs`` (warnings are errors). No extension needs network:
intersphinx is deliberately not enabled. sphinx-gallery runs every script in
``examples/`` at build time and writes its page, with the figures and printed
output, to ``auto_examples/`` (generated, not in git).
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
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

# sphinx-gallery: run every example (not only plot_*.py), in file-name order
# (the number prefixes), and stop the build if one raises.
sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"\.py$",
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "remove_config_comments": True,
    "min_reported_time": 1,
    "abort_on_example_error": True,
}

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

html_theme = "pydata_sphinx_theme"
html_title = f"sktpe {release}"
html_theme_options = {
    "navbar_align": "left",
    "header_links_before_dropdown": 6,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc", "sg_download_links"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version", "theme-version"],
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
