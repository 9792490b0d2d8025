"""The workforce pages. Thin views: parse input, call one service or selector, render or
redirect. One module per audience: ``members`` (a member's own pages), ``teams`` (team
leads and organisation admins) and ``insight`` (area figures for commissioners).
"""
