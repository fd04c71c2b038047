"""ConText trigger words (family, historical, hypothetical, uncertain, negation) and relatives' diseases."""

# ConText-style triggers (lower case): preceding ones apply to what follows them in the clause,
# following ones to what precedes them.
_FAMILY = ["my mother", "my mum", "my mom", "my father", "my dad", "my sister", "my brother", "my grandmother", "my grandfather",
           "my nan", "my grandma", "my grandpa", "my aunt", "my uncle", "my cousin", "my son", "my daughter", "my wife",
           "my husband", "my partner", "my friend", "my boyfriend", "my girlfriend", "my parents", "my family", "my twin"]
_FAMILY_RELATIVES = frozenset(_FAMILY[:17] + ["my parents", "my family", "my twin", "my son", "my daughter"])
_HISTORICAL = ["used to", "years ago", "in the past", "as a child", "as a kid", "last year", "a few years back", "years back",
               "when i was younger", "back in", "previously", "once had", "had it before", "long time ago", "a long time ago"]
_HYPOTHETICAL = ["if i", "if it", "in case", "what if", "worried about", "worried it", "afraid of", "scared of", "scared it",
                 "could it be", "is it", "does this mean", "should i worry", "in case it", "terrified of", "might develop",
                 "worried i", "if there", "would it", "if", "should i", "would i", "i'd", "i would", "could i",
                 "in the event", "supposing", "suppose", "what happens when", "what would", "unless"]
_UNCERTAIN = ["maybe", "might", "possibly", "not sure", "i think", "perhaps", "probably", "could be", "may have", "may be", "sort of",
              "kind of", "a bit like", "not certain", "unsure", "i guess", "seems like", "a little bit of", "sometimes i think",
              "i wonder if", "might be", "hard to tell", "think i might", "not 100%"]
_TERMINATE = {",", ";", ".", "!", "?", "but", "since", "and i", "and my", "and now", "and it", "though", "although", "however", "except", "apart", "otherwise", "whereas", "which", "while"}
_NEG_EXTRA = ["no", "not", "never", "without", "don't have", "do not have", "haven't had", "have not had", "haven't noticed",
              "havent", "dont", "isn't", "not any", "no sign of", "none", "free of", "didn't", "doesn't", "don't get", "don't feel",
              "can feel fine", "nothing", "zero", "nor", "neither", "not really", "hasn't", "has not", "hasnt", "haven't", "have not",
              "wasn't", "was not", "aren't", "are not", "won't", "not been", "never had", "never been"]
#: Words that look like a negation but are doubt or inability ("not sure if", "haven't been able to"):
#: never read as denial (uncertainty is never denial).
_DOUBT = ["not sure", "unsure", "not certain", "uncertain", "don't know", "do not know", "dont know", "no idea", "can't tell",
          "cannot tell", "can't say", "hard to say", "hard to tell", "don't think", "do not think", "not convinced", "not 100%",
          "i wonder", "wondering", "whether", "not positive", "can't remember", "don't remember"]
_PSEUDO_NEG = _DOUBT + ["haven't been able", "hasn't been able", "not able", "not been able", "unable", "not only", "can't stop",
                        "cannot stop", "won't stop", "doesn't stop", "don't stop", "not just", "no better", "not better", "not going away",
                        "won't go away", "doesn't go away", "not getting better", "no improvement"]
_NEG_FOLLOWING = ["is fine", "are fine", "is normal", "are normal", "is ok", "are ok", "is okay", "are okay", "ruled out", "is absent",
                  "all fine", "are all fine", "seems fine", "is good"]
# diseases of the nervous system that make a relative's history family_history_neuro (lower case)
_NEURO_DISEASE = ["ms", "multiple sclerosis", "mnd", "motor neurone disease", "motor neuron disease", "als", "epilepsy",
                  "parkinson's", "parkinsons", "parkinson", "huntington's", "neuropathy", "muscular dystrophy", "a stroke",
                  "myasthenia", "cmt", "charcot-marie-tooth", "lou gehrig's"]
_RLS_WORDS = ["restless legs", "restless leg", "rls"]
