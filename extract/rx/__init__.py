"""Regex analysis: what a rule pattern's parsed form says about where it can match.

Every speed-up here reads the pattern ``re.compile`` itself parses and only ever
skips places or texts where the pattern *cannot* match, so the matches are
always exactly those of the plain ``re`` calls. One home, two layers:

* :mod:`.sre` - the shared access to ``re``'s private parser (:func:`.sre.parse`,
  the opcode constants); an unreadable pattern simply gets no analysis.
* :mod:`.fold` - the shared case-folding facts: the characters ``re.IGNORECASE``
  equates with an ASCII letter although ``lower()`` does not, and the two folding
  policies built on them (:func:`.fold.fold_case` maps them, :func:`.fold.fold_safe_lower`
  refuses the text).
* :mod:`.literals` - the sentence layer used by the NLP components: many cue regexes
  over many short sentences. ``required_literals`` / ``required_folded_literals``
  (substring prefilters, expanding small classes such as ``[Tt]he``),
  ``first_chars`` / ``guarded`` (a first-character look-ahead written back into the
  regex), and ``MultiFinditer`` (one family of regexes scanned together; with
  ``digit_reach`` / ``read_weight`` it searches only near digits or around given
  sentences where that provably finds every match).
* :mod:`.scan` - the document layer used by the segmenter: one rule pattern over a
  whole document. ``plan_for`` reads required words, start words and the characters
  no match can hold (line windows) and ``finditer`` / ``may_match`` use them.

The two layers ask different questions of the same parse, so these analyses
stay separate on purpose:

* required text: :func:`.literals.required_literals` keeps the most selective set
  by its shortest string and expands small literal classes; :func:`.scan.required_words`
  does not expand classes, prefers words with more letters and digits, and then
  drops sets with a word under three characters. Each is tuned to (and tested for)
  its own search; merging would change which prefilter runs, not only the code.
* where a match starts: :func:`.literals.first_chars` gives class items for a
  look-ahead, ``MultiFinditer`` character-class prefixes for combined scans, and
  :func:`.scan.start_words` whole literal words for a substring search.
"""
