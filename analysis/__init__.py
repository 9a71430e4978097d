"""Briefing Desk analysis library: corpus reading, cleaning, NLP and the tables behind the dashboard."""

__version__ = "0.1.0"

# Bump when a change alters any per-article result (`tables.Parts`), so stored results are recomputed.
ANALYSIS_VERSION = "7"  # 7: figures with bounds, ranges, rates and what each measures (from the parse)
# Bump when a change alters only the corpus-level tables `registry.assemble` derives from per-article results, so a
# store assembles them again without analysing any article again. 2: rewrites found with hashed features.
# 3: those features hashed by pandas, with the stop words of analysis/data/stop_words.yaml.
CORPUS_VERSION = "5"  # 5: figures named by the corpus's figures.yaml at corpus level
