"""The self-assessment pages. Thin views: parse input, call one service or selector, render
or redirect. One module per page family: ``assessment``, ``grid``, ``history``, ``plan``.
"""
