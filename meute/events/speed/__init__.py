"""Speed meetings: the bridge between the events app and the engine.

This package is the only place that turns rows into engine inputs
(:mod:`meute.engine.relevance`, :mod:`meute.engine.rotations`) and engine
outputs back into rows (:class:`Seat`, :class:`PairReason`, ``RotationPlan.figures``):

- :mod:`.selectors` — reads: participants, plan tables, agendas, reasons, consent;
- :mod:`.instance` — the engine's input from the rows, with consent filtering;
- :mod:`.solving` — rule checks, repairs around locked meetings, a plan's figures;
- :mod:`.seating` — saved rounds, table numbering, seats and reasons written back;
- :mod:`.compute` — the background computation (called by :mod:`.tasks`);
- :mod:`.services` — writes: format, generate, publish, lock, swap, live re-plan, profile;
- :mod:`.views`, :mod:`.forms`, :mod:`.urls`, :mod:`.pdf`, :mod:`.notes` (the engine's notes in words).

Who takes part
    Confirmed registrations (walk-ins are confirmed registrations too), minus
    those marked absent or excused at check-in.

Consent
    A person's profile text (offers, seeks, tags, activity code, decision-maker
    flag) and their wishes feed the relevance score only if their latest
    matchmaking decision (``ConsentPurpose.MATCHMAKING``) is a yes. People who
    did not consent are still seated, with a neutral profile: they meet
    whoever the others' scores leave, never their colleagues, and nobody's
    wish to meet them counts. Their *avoid* list is always honoured: avoiding
    someone is a safety request, not profiling.

    What the other participants see follows the same decision, read when the
    page or document is made (a person may change their mind after the plan
    was computed): someone who did not consent is not offered on the profile
    page's lists of people to meet or avoid, and their table partners (web
    agenda, PDF, calendar file, printed table cards, badges and wall chart)
    see their name only, with no function, company, offer or reason for the
    meeting (:func:`partner_card`). The organiser's plan page keeps names and
    companies, which they need to run the evening; their view of one
    participant's agenda shows what that participant sees.

Versions
    ``plan.version`` is 0 until the first publication, then grows by one at each
    publication and at each change made after publication (swap, re-plan). A
    seat whose table or table partners change gets ``changed_in_version`` set
    to the new version, so agendas can highlight what changed.
"""
