"""Every human word, in Chinese (zh) and English (en): the text catalogue, the summary, the reasons
for empty seats, the rules a roster breaks, and the words of check, explain and cover. The stages
below hand over codes and figures; this layer turns them into sentences.
"""
