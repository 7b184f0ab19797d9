"""Writing checked roster rows: one batched upsert of accounts, influencers and niches.

The write works in batches of `WRITE_BATCH` rows (one SELECT of the batch's existing
accounts, then bulk INSERTs and upserts) and must run inside the import's one transaction, so
an import is all-or-nothing. An account is matched by (organisation, platform,
lower(handle)); rows equal to what is stored write nothing.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organization
from influencers import services
from influencers.importing.checking import (
    ACCOUNT_KEYS,
    INFLUENCER_KEYS,
    disagreement,
    has_value,
)
from influencers.models import DataSource, Influencer, SocialAccount
from influencers.places import split_location

WRITE_BATCH = 1_000


@dataclass
class Counts:
    """What an import did to the stored accounts."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


def accounts_upsert(
    *,
    organization: Organization,
    rows: pd.DataFrame,
    given: set[str],
    progress: Callable[[int], None],
) -> Counts:
    """Write checked rows (`check_rows(...).rows`) in batches; must run inside a transaction.

    `given` are the target keys the file has a column for: only those are written. After
    each batch, `progress` gets the number of rows written so far.
    """
    all_niches = sorted({name for names in rows["niches"] for name in names})
    niche_ids = {
        niche.name: niche.pk
        for niche in services.niches_resolve(organization=organization, names=all_niches)
    }
    records = rows.to_dict("records")
    for number, record in zip(rows.index, records, strict=True):
        record["row"] = int(number)
    counts = Counts()
    people = _People()
    now = timezone.now()
    for start in range(0, len(records), WRITE_BATCH):
        batch = records[start : start + WRITE_BATCH]
        _write_batch(organization, batch, given, niche_ids, now, counts, people)
        progress(start + len(batch))
    return counts


def _existing_accounts(organization, batch) -> dict[tuple[str, str], SocialAccount]:
    by_platform = defaultdict(list)
    for record in batch:
        by_platform[record["platform"]].append(SocialAccount.key_for(record["handle"]))
    condition = Q()
    for platform, keys in by_platform.items():
        condition |= Q(platform=platform, handle_key__in=keys)
    accounts = (
        SocialAccount.objects.filter(organization=organization)
        .filter(condition)
        .select_related("influencer")
        # Locked until the import commits: an edit or a delete meanwhile waits, instead of
        # being overwritten with the values read here (or resurrected by the upsert).
        .select_for_update()
    )
    return {(account.platform, account.handle_key): account for account in accounts}


@dataclass
class _People:
    """The import's one object per stored influencer, shared by all of that person's rows.

    Each account is read with its own copy of its influencer; two copies of one person
    would both be written, in one upsert statement (which PostgreSQL refuses) or one after
    the other (the later row wins, and the next import of the file flips it back).
    """

    by_id: dict[int, Influencer] = field(default_factory=dict)
    stored: dict[int, dict] = field(default_factory=dict)  # the fields before the import
    given: dict[tuple[int, str], tuple[int, object]] = field(default_factory=dict)

    def of(self, account: SocialAccount) -> Influencer:
        influencer = self.by_id.get(account.influencer_id)
        if influencer is None:
            influencer = self.by_id[account.influencer_id] = account.influencer
            self.stored[influencer.pk] = {k: getattr(influencer, k) for k in INFLUENCER_KEYS}
        account.influencer = influencer
        return influencer

    def changes(self, influencer: Influencer, values: dict, row: int) -> set[str]:
        """The fields this row changes from what was stored; two rows must agree."""
        stored = self.stored[influencer.pk]
        for key in INFLUENCER_KEYS:
            if key not in values:
                continue
            first = self.given.setdefault((influencer.pk, key), (row, values[key]))
            if first[1] != values[key]:
                # check_rows finds this before the import; here it is found when the
                # accounts changed hands in between (a merge).
                raise ValidationError(disagreement(key, stored["name"], first, (row, values[key])))
        return {k for k in INFLUENCER_KEYS if k in values and stored[k] != values[k]}


def _write_batch(
    organization, batch, given, niche_ids, now, counts: Counts, people: _People
) -> None:
    existing = _existing_accounts(organization, batch)
    through = Influencer.niches.through
    linked = set()
    if niche_ids and existing:
        linked = set(
            through.objects.filter(
                influencer_id__in={a.influencer_id for a in existing.values()}
            ).values_list("influencer_id", "niche_id")
        )
    new_pairs, changed_accounts, links = [], [], []
    changed_influencers = {}  # by id: a person with two rows is written once
    account_fields, influencer_fields = set(), set()
    for record in batch:
        values = {k: record[k] for k in given if has_value(record[k])}
        account = existing.get((record["platform"], SocialAccount.key_for(record["handle"])))
        niches = [niche_ids[name] for name in record["niches"]]
        if account is None:
            influencer = Influencer(
                organization=organization,
                name=values.get("name") or record["handle"],
                **{
                    k: values[k]
                    for k in ("email", "location", "country", "languages", "status")
                    if k in values
                },
            )
            if not influencer.country:  # as a form would: the country the location names
                influencer.location, influencer.country = split_location(influencer.location)
            account = SocialAccount(organization=organization)
            services.social_account_assign(
                account,
                {k: values[k] for k in ACCOUNT_KEYS if k in values},
                source=DataSource.IMPORT,
                now=now,
            )
            new_pairs.append((influencer, account, niches))
            continue
        account_changes = services.social_account_assign(
            account,
            {k: values[k] for k in ACCOUNT_KEYS if k in values},
            source=DataSource.IMPORT,
            now=now,
        )
        influencer = people.of(account)
        influencer_changes = people.changes(influencer, values, record["row"])
        new_links = [(influencer.pk, n) for n in niches if (influencer.pk, n) not in linked]
        if account_changes:
            account_fields |= account_changes
            changed_accounts.append(account)
        if influencer_changes:
            for k in influencer_changes:
                setattr(influencer, k, values[k])
            influencer.updated_at = now
            influencer_fields |= influencer_changes | {"updated_at"}
            changed_influencers[influencer.pk] = influencer
        links += new_links
        linked.update(new_links)
        if account_changes or influencer_changes or new_links:
            counts.updated += 1
        else:
            counts.unchanged += 1

    if new_pairs:
        Influencer.objects.bulk_create([pair[0] for pair in new_pairs], batch_size=WRITE_BATCH)
        for influencer, account, niches in new_pairs:
            account.influencer = influencer
            links += [(influencer.pk, n) for n in niches]
        counts.created += len(new_pairs)
    services.social_accounts_write(
        organization=organization,
        accounts=[pair[1] for pair in new_pairs] + changed_accounts,
        fields=account_fields,
    )
    services.rows_update(Influencer, list(changed_influencers.values()), influencer_fields)
    if links:
        through.objects.bulk_create(
            [through(influencer_id=i, niche_id=n) for i, n in links],
            batch_size=WRITE_BATCH,
            ignore_conflicts=True,
        )
