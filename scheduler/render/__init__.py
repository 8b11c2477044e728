"""Every human word, in Chinese (zh) and English (en): the text catalogue, the summary and the
explanations. The stages below hand over codes and figures; this layer turns them into sentences.
"""
