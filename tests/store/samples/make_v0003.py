"""Make tests/store/samples/v0003: a schema-0003 database (before the stored name sort
keys of revision 0004) whose clients' names need Finnish order: å/ä/ö, case, accents,
an empty first name and an empty last name.

Made at commit 7970094 by running this file from a checkout of that commit
(``PYTHONPATH=<checkout> python make_v0003.py``), then copying /tmp/v0003_sample.
"""

from pathlib import Path

from sosku_desktop.domain import models
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id

NAMES = [
    ("Aino", "Äijälä"),
    ("", "Åberg"),
    ("sari", "aalto"),
    ("Élise", "Öhman"),
    ("Juha", ""),
    ("Eero", "Zetterberg"),
]

d = Path("/tmp/v0003_sample")
s = Store.create(d, "sample-0003")
with s.write() as w:
    for first, last in NAMES:
        w.add(models.Client(id=new_id(), first_name=first, last_name=last))
s.close()
(d / "PASSPHRASE").write_text("sample-0003\n")
