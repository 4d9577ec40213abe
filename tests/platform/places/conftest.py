"""Standard addresses of the small test county: a village and a street in each of its two grids."""

from __future__ import annotations

import pytest

from pingan.platform.places import service

ADDRESSES = """code,grid,road,number,building,unit,room
TT-XXA-32,331003-01-01-01,新下岙村,32,,,
TT-XXA-32-2-1-301,331003-01-01-01,新下岙村,32,2,1,301
TT-XXA-32-2-1-302,331003-01-01-01,新下岙村,32,2,1,302
TT-XXA-32-2-2-301,331003-01-01-01,新下岙村,32,2,2,301
TT-XXA-32-1,331003-01-01-01,新下岙村,32-1,,,
TT-XXA-5,331003-01-01-01,新下岙村,5,,,
TT-XXA-6,331003-01-01-01,新下岙村,6,,,
TT-TTC-18,331003-01-01-01,头陀村,18,,,
TT-TTC-18-1-1-101,331003-01-01-01,头陀村,18,1,1,101
JK-LDB-118,331003-02-01-01,劳动北路,118,,,
JK-LDB-118-5-2-501,331003-02-01-01,劳动北路,118,5,2,501
JK-LDB-116,331003-02-01-01,劳动北路,116,,,
JK-XYL-8,331003-02-01-01,下洋路,8,,,
JK-XYL-8-3,331003-02-01-01,下洋路,8,3,,
NX-DSL-3-12,331003-02-01-01,大山里村3组,12,,,
NX-LJ-12,331003-02-01-01,老街,12,,,
"""


@pytest.fixture
def addresses(db, county):
    service.import_csv(db, ADDRESSES)
    return db
