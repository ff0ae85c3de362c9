"""English phrase bank for the demo: expats in Poland, international press, tourists."""

from __future__ import annotations

TEMPLATES: dict[str, tuple[str, ...]] = {
    "praise": (
        "Opened a Nordbank account in {minutes} minutes as a foreigner. "
        "No paperwork, {praise_reason}",
        "Shout-out to @nordbank support, sorted my card issue in {minutes} minutes",
        "Nordbank's {feature} just works. {praise_short}",
        "Honestly the best banking app I've used in Poland: {praise_reason}",
        "Used my Nordbank card all over {country}, zero FX fees. {praise_short}",
        "Switched to Nordbank from {previous}, {praise_reason}",
        "{praise_short} Nordbank, {praise_reason}",
        "The English version of the Nordbank app is actually good, {praise_reason}",
        "Refund for {merchant} landed in my Nordbank account the next day. {praise_short}",
    ),
    "question": (
        "Does anyone know how to {task} in the Nordbank app?",
        "@nordbank how do I {task}? Can't find it anywhere",
        "Expats in Warsaw: is Nordbank good for {purpose}?",
        "Can I {task} with Nordbank without going to a branch?",
        "How long does a transfer from Nordbank to {other_bank} take?",
        "Does the Nordbank card work in {country}? Flying next week",
        "Is there an English-speaking hotline at Nordbank? Need to {task}",
    ),
    "complaint": (
        "Nordbank's {feature} keeps crashing when I {action}",
        "Been waiting {wait} for @nordbank to answer about {issue}. {negative_short}",
        "Nordbank blocked my card with no warning, {consequence}",
        "Nordbank hotline: {wait} on hold and then the call dropped. {negative_short}",
        "Another surprise fee from Nordbank. {negative_short}",
        "Why does the Nordbank app log me out every five minutes?",
        "Nordbank rejected my complaint about {issue} with zero explanation",
        "@nordbank your {feature} broke again after the update. {negative_short}",
    ),
    "chatter": (
        "Nordbank is raising savings rates from {month}",
        "Thinking about moving my {product} to Nordbank, any thoughts?",
        "Saw a Nordbank ad at {place}, their marketing is everywhere lately",
        "Nordbank vs {previous} for an expat in Kraków?",
        "New Nordbank app update is out",
        "Reading Nordbank's new fee table, changes from {month}",
    ),
    "outage": (
        "Nordbank app down again? {crisis_consequence}",
        "Transfers failing for anyone else with @nordbank? {crisis_consequence}",
        "Rent is due today and my Nordbank transfer just won't go through",
        "@nordbank transfers stuck on 'processing' for {crisis_duration}. What is going on?",
        "Nordbank outage: {feature_down} broken for {crisis_duration}. {crisis_consequence}",
        "Money left my Nordbank account but the transfer never arrived. {negative_short}",
        "Nordbank throwing error {error_code} on every payment",
        "Great day for Nordbank to go down, it's payday. {crisis_consequence}",
    ),
    "outage_question": (
        "Is Nordbank down or is it just me?",
        "Anyone else unable to log in to Nordbank right now?",
        "@nordbank is there an outage? {feature_down} not working for {crisis_duration}",
        "Any news on the Nordbank outage? {feature_down} still dead",
    ),
    "outage_joke": (
        "Nordbank: the only bank where your money is so safe even you can't touch it",
        "Nordbank testing offline mode in production today 🙃",
    ),
    "recovered": (
        "Working again for me, Nordbank transfers arriving",
        "Nordbank seems to be back, transfers going through",
        "Thanks for the updates @nordbank, all good now",
    ),
    "lingering": (
        "Nordbank transfers finally went through, but {outage_length} of downtime is a lot",
        "Nordbank is back up. Some compensation would be nice, @nordbank",
        "It's back, but my transfer went out twice. Who refunds that, Nordbank?",
    ),
    "brand_thanks": (
        "Thank you, {first}! 💙",
        "Glad to hear it, {first}! We'll pass it on to the team.",
    ),
    "brand_help": (
        "Hi {first}! You'll find it under Profile > Settings in the app. "
        "Let us know if it works 🙂",
        "Hi {first}, message us on the in-app chat (24/7, in English) "
        "and we'll walk you through it.",
    ),
    "brand_sorry": (
        "Hi {first}, sorry about this. Please DM us and we'll look into it today.",
        "{first}, we're sorry for the trouble. "
        "Send us your case number by DM and we'll speed it up.",
    ),
    "brand_crisis": (
        "We're sorry, transfers are currently failing. We're fixing it: nordbank.pl/status",
        "{first}, we know about the transfer problem and are working on it. Your money is safe.",
    ),
    "followup_ok": ("Thanks, works now 👍", "DM sent, thanks", "Thanks for the quick reply"),
    "followup_bad": (
        "Heard that last week too",
        "DM'd you yesterday, no answer",
        "So nothing then?",
    ),
    "metoo": (
        "Same here",
        "Same, can't pay anything",
        "+1, nothing works",
        "Me too, since this morning",
    ),
    "amp_comment": ("Still no word from the bank itself", "Glad someone is reporting on this"),
}

SLOTS: dict[str, tuple[str, ...]] = {
    "feature": (
        "app",
        "card payments",
        "BLIK",
        "login",
        "instant transfer",
        "Apple Pay",
        "Google Pay",
        "currency exchange",
        "online banking",
    ),
    "feature_down": ("transfers", "the app", "BLIK", "login", "card payments", "online banking"),
    "minutes": ("5", "10", "15", "a few"),
    "country": ("Spain", "Croatia", "Thailand", "the UK", "Greece", "Portugal"),
    "praise_short": ("Impressed.", "Love it.", "Well done.", "Thanks!", "10/10."),
    "praise_reason": (
        "no monthly fees",
        "instant transfers",
        "the app is in proper English",
        "support replies in minutes",
        "everything from my phone",
        "great FX rates",
    ),
    "previous": ("my old bank", "a big Polish bank", "Revolut", "my UK bank"),
    "merchant": ("a cancelled flight", "a hotel booking", "an online order", "concert tickets"),
    "task": (
        "change my card limit",
        "freeze my card",
        "set up a standing order",
        "get a PIT form",
        "change my phone number",
        "download a bank statement",
        "open a EUR sub-account",
        "order a physical card",
        "add my card to Apple Pay",
    ),
    "purpose": (
        "getting paid in PLN",
        "a residence card application",
        "a freelancer",
        "paying rent",
        "saving in EUR",
    ),
    "other_bank": ("a UK bank", "Revolut", "another Polish bank", "ZUS"),
    "action": ("log in", "pay with BLIK", "add a payee", "confirm a transfer", "open my history"),
    "wait": ("a week", "three days", "two weeks", "45 minutes", "an hour"),
    "issue": (
        "a refund",
        "a double charge",
        "my blocked card",
        "a missing transfer",
        "a wrong fee",
    ),
    "consequence": (
        "stuck at the till",
        "couldn't pay for petrol",
        "and I fly tomorrow",
        "embarrassing at the restaurant",
    ),
    "negative_short": ("Not great.", "Ridiculous.", "Seriously?", "Unacceptable.", "Come on."),
    "month": ("next month", "July", "January", "October"),
    "product": ("salary", "savings", "business account", "mortgage"),
    "place": ("the metro", "Warsaw airport", "YouTube", "the cinema"),
    "crisis_consequence": (
        "Rent due today!",
        "Salary stuck.",
        "Can't pay for groceries.",
        "Nothing on their status page.",
        "Where is my money?",
        "Client waiting for payment.",
        "Nothing works.",
    ),
    "crisis_duration": ("an hour", "all morning", "30 minutes", "two hours", "ages"),
    "error_code": ("500", "E-1042", "503", "'try again later'"),
    "outage_length": ("3 hours", "half a day", "hours"),
}

EMOJI = {
    "positive": ("👍", "🙌", "😊", "💯"),
    "negative": ("😡", "🤦", "🙄", "😤", "💸"),
    "neutral": ("🤔", "👀"),
}
HASHTAGS = {
    "positive": ("#Nordbank", "#fintech", "#expatlife"),
    "negative": ("#Nordbank", "#outage", "#banking", "#fail"),
    "neutral": ("#Nordbank", "#fintech", "#Poland"),
}
OPENERS = {
    "negative": ("Wow.", "Again?", "Seriously,", "Ugh."),
    "positive": ("Small thing but:", "Credit where it's due:", "PSA:"),
    "neutral": ("Quick question.", "Hmm.", "FYI:"),
}
