"""What events brought: the meetings people had, their ratings, and the published figures.

Reads and the published figures in :mod:`.selectors`, the one write (a person's
rating) in :mod:`.services`; screens in :mod:`.views`, :mod:`.forms`, :mod:`.urls`.

A *meeting* is a pair of confirmed participants (not marked absent or excused)
who either shared a table in some round of the event's published speed-meeting
plan, or had a booked one-to-one meeting placed by the organiser.

Privacy rules, enforced here so that no view can forget them:

- a person's individual ratings are read only through `ratings_given`, which the
  views call for the person themselves;
- published figures are aggregates over *people*, not ratings: one person who
  rates five meetings is one answer. Every figure computed from ratings is
  withheld (`None`, shown as "non affiché" with the rule in words) unless at
  least `MIN_ANSWERS` people answered *other than the reader*: someone who
  rated their own meetings could otherwise subtract their answers from the
  total and read the others'. A reader who answered nothing (an organiser,
  chamber staff, a member who did not come) needs `MIN_ANSWERS` people;
- the total amount of contracts adds up amounts stated by individual people,
  and both people of a contract know its amount: the total is shown only when
  the amounts it adds up were stated by at least `MIN_ANSWERS` people, leaving
  out every contract the reader took part in, so that a total never is one
  person's business nor the reader's own contracts plus one other;
- chamber totals add up only the events whose figures are shown to the reader,
  so a withheld figure cannot be recovered by subtraction.

Follow-ups and contracts are counted per meeting (either person saying so is
enough), and a contract's amount is the larger of the two stated, so a contract
reported by both people is not counted twice.
"""
