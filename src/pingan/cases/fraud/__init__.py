"""Telecom-fraud reports (电诈案件): the victim's report, stop-payment and freeze per payee account, the
accounts and phones on 警银通's intel list, and the victim's missed screenings."""
