"""General clause rules: unnamed victims, ongoing states, shared time frames, own-subject
conjuncts, members named by "including", frames around an event noun, codebook refinements."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from pipeline.extract import Extraction

pytestmark = pytest.mark.model

Extract = Callable[..., Extraction]
AUG_2025 = datetime(2025, 8, 15, tzinfo=UTC)


def _facts(x: Extraction) -> list[tuple[str, str]]:
    return [(e.trigger.text.split()[0], e.cameo_code) for e in x.events if e.factual]


def test_a_passive_harm_to_someone_unnamed_is_an_event(extract: Extract) -> None:
    x = extract("The former democracy icon was detained during a coup the following year.")
    assert ("detained", "173") in _facts(x)
    # a passive with nobody to name and no harm done is still dropped
    assert _facts(extract("The plan was welcomed.")) == []


def test_an_ongoing_state_in_the_simple_present_is_not_an_event(extract: Extract) -> None:
    x = extract("The UN accused the military of war crimes as it battles rebels in the north.")
    assert [code[:2] for _, code in _facts(x)] == ["11"]


def test_a_perfect_shares_the_time_frame_of_its_conjunct(extract: Extract) -> None:
    x = extract("Junta bombs have destroyed homes and are a cause of displacement since the coup.")
    assert _facts(x) == []


def test_a_conjunct_with_its_own_subject_is_no_background(extract: Extract) -> None:
    x = extract(
        "Washington said the plan had support from Moscow, which has resisted a harder line, "
        "but China remained mum."
    )
    assert ("remained", "011") in _facts(x)


def test_members_named_by_including(extract: Extract) -> None:
    x = extract("The election was denounced by several governments, including Japan and Malaysia.")
    event = next(e for e in x.events if e.factual)
    assert event.actor1 is not None and set(event.actor1.members) == {
        "Japanese government",
        "Malaysian government",
    }


def test_an_event_noun_in_a_frame_is_during(extract: Extract) -> None:
    x = extract("The UN chief met the emir in Doha at the start of a regional trip.")
    assert ("trip", "042") in _facts(x)


def test_codebook_refinements(extract: Extract) -> None:
    x = extract("Hundreds of UN troops withdrew from the Golan on Monday.")
    assert ("withdrew", "1661") in _facts(x)  # peacekeepers withdrawn
    x = extract("The US presented evidence against Russia on Monday.")
    assert ("presented", "112") in _facts(x)
    x = extract("Obama faces pressure from Congress to help Iran.")
    assert ("pressure", "100") in _facts(x)  # CAMEO.2.0: FACE * PRESSURE [:100]


def test_a_dated_aside_in_wire_style_is_news(extract: Extract) -> None:
    x = extract("Hamas, which fired dozens of rockets at Israel on Sunday, said it would respond.")
    assert any(e.cameo_root == "19" and e.factual for e in x.events)
    x = extract("The general, who seized power in 2021, met the envoy on Monday.")
    assert [t for t, _ in _facts(x)] == ["met"]


def test_light_verb_objects_are_acts_and_participles_name_victims(extract: Extract) -> None:
    x = extract("Russia launched a drone attack on Kyiv on Sunday.")
    event = next(e for e in x.events if e.factual)
    assert event.cameo_code == "195" and event.actor2 is None  # Kyiv is where, not whom
    assert event.place is not None and event.place.name == "Kyiv"
    x = extract("Soldiers raided a village in Borno on Sunday, killing two farmers.")
    event = next(e for e in x.events if e.factual)
    assert event.actor2 is not None and event.actor2.type == "civilians"
    assert event.event_type == "Violence against civilians"


def test_driving_out_takes_ground(extract: Extract) -> None:
    x = extract("Government troops drove the rebels out of the town on Sunday.")
    assert ("drove", "192") in _facts(x)


def test_targets_from_the_act_a_verb_is_about(extract: Extract) -> None:
    x = extract("The government agreed to lift the sanctions on Iran on Monday.")
    agreed = next(e for e in x.events if e.trigger.text.startswith("agreed"))
    assert agreed.actor2 is not None and agreed.actor2.cameo == "IRN"
    x = extract("Evidence against Russia was presented by the US.")
    event = next(e for e in x.events if e.factual)
    assert event.actor2 is not None and event.actor2.cameo == "RUS"


def test_foreign_protesters_protest_to_their_host(extract: Extract) -> None:
    x = extract("US and British activists staged a protest in Beijing on Wednesday.")
    event = next(e for e in x.events if e.factual)
    assert event.actor2 is not None and event.actor2.cameo == "CHN"


def test_no_announcement_of_an_act_nobody_named_does(extract: Extract) -> None:
    x = extract("The minister said she hoped the officials would soon be indicted.")
    assert _facts(x) == []


def test_light_verbs_take_the_code_of_their_object(extract: Extract) -> None:
    assert _facts(extract("The president paid tribute to the soldiers who died.")) == [
        ("paid", "017")
    ]
    assert _facts(extract("Modi paid a courtesy call on the King of Nepal.")) == [("paid", "042")]
    assert _facts(extract("Macron heaped praise on the Indian prime minister.")) == [
        ("heaped", "051")
    ]
    assert _facts(extract("The company paid the fine.")) == []  # paying is no act by itself


def test_notices_deadlines_and_displeasure(extract: Extract) -> None:
    assert _facts(extract("The Election Commission sent notices to two BJP MPs.")) == [
        ("sent", "100")
    ]
    assert _facts(extract("The court issued summons to the minister.")) == [("issued", "100")]
    assert _facts(extract("The US set a deadline for Iran.")) == [("set", "139")]
    assert _facts(extract("The Supreme Court expressed dissatisfaction with the new rules.")) == [
        ("expressed", "111")
    ]


def test_dismissing_people_is_no_rejection(extract: Extract) -> None:
    assert _facts(extract("The assembly dismissed all five Supreme Court judges on May 1.")) == []
    assert _facts(extract("The Election Commission dismissed the allegations by Gandhi.")) == [
        ("dismissed", "016")
    ]
    assert _facts(extract("The court dismissed the petition filed by the Congress.")) == [
        ("dismissed", "120")
    ]


def test_an_attempted_attack_or_march_happened(extract: Extract) -> None:
    assert _facts(extract("Rebels tried to storm the army base on Monday.")) == [("storm", "190")]
    x = extract("The rebels will try to storm the base.")
    assert _facts(x) == [] and [e.modality for e in x.events] == ["future"]
    assert _facts(extract("Opposition leaders marched to the Election Commission's office.")) == [
        ("marched", "141")
    ]
    assert _facts(extract("Troops marched to the border.")) == []


def test_symbolic_and_empathetic_acts_walkouts_and_bail(extract: Extract) -> None:
    assert _facts(extract("The president laid a wreath at the war memorial.")) == [("laid", "017")]
    assert _facts(extract("The prime minister mourned the death of the former president.")) == [
        ("mourned", "017")
    ]
    assert _facts(extract("India condoled the death of the Nepali leader.")) == [
        ("condoled", "018")
    ]
    assert _facts(extract("The prime minister extended condolences to the family.")) == [
        ("extended", "018")
    ]
    assert _facts(extract("The Congress hit out at the government over the price rise.")) == [
        ("hit", "111")
    ]
    assert _facts(extract("The army hit the rebel positions with artillery.")) == [("hit", "190")]
    assert _facts(extract("The opposition walked out of parliament in protest.")) == [
        ("walked", "143")
    ]
    assert _facts(extract("The court granted bail to the activist.")) == [("granted", "081")]


def test_calls_strikes_on_facilities_and_called_elections(extract: Extract) -> None:
    assert _facts(extract("Zelensky called Macron on Sunday.")) == [("called", "041")]
    assert _facts(extract("The UN called on Israel to stop the strikes.")) == [("called", "020")]
    assert _facts(extract("The president called elections for May.")) == []
    x = extract("China has changed. Although it's still called Communist China, it is different.")
    assert _facts(x) == []  # naming, not a telephone call
    assert _facts(extract("Ukrainian drones struck an oil depot in Belgorod.")) == [
        ("struck", "195")
    ]
    assert _facts(extract("The storm hit the coast.")) == []


def test_political_attacks_charges_and_walkouts(extract: Extract) -> None:
    assert _facts(extract("The BJP took a swipe at Rahul Gandhi over his remarks.")) == [
        ("took", "111")
    ]
    assert _facts(extract("The Government attacked the opposition over the remarks.")) == [
        ("attacked", "111")
    ]
    assert _facts(extract("Government forces attacked opposition fighters in Idlib.")) == [
        ("attacked", "190")
    ]
    assert _facts(extract("The Supreme Court rapped the Election Commission.")) == [
        ("rapped", "111")
    ]
    assert _facts(extract("The police registered a case against the MLA.")) == [
        ("registered", "173")
    ]
    assert _facts(extract("The minister ordered an inquiry into the incident.")) == [
        ("ordered", "090")
    ]
    assert _facts(extract("The opposition staged a walkout in the Lok Sabha.")) == [
        ("staged", "143")
    ]


def test_a_place_inside_an_organisations_name_is_no_place(extract: Extract) -> None:
    x = extract("The opposition protested in the Lok Sabha on Monday.")
    # not Sabha, Libya: only the country the parliament's name says, at country precision
    assert [(e.place.country_code, e.place.geo_precision) for e in x.events if e.place] == [
        ("IN", 4)
    ]
    assert [e.actor1.cameo for e in x.events if e.actor1] == ["INDOPP"]
    x = extract("Rebels attacked the town of Sabha in southern Libya.")
    assert [e.place.country_code for e in x.events if e.place] == ["LY"]


def _targets(x: Extraction) -> list[tuple[str, str | None]]:
    return [(e.cameo_code, e.actor2.cameo if e.actor2 else None) for e in x.events if e.factual]


def test_an_answer_to_an_act_targets_who_did_it(extract: Extract) -> None:
    assert _targets(
        extract("The Election Commission rejected Rahul Gandhi's allegations of vote theft.")
    ) == [("016", "INDOPP")]
    assert _targets(extract("India condemned the attack by Pakistani militants.")) == [
        ("111", "PAKREB")
    ]
    assert _targets(extract("The UN criticised Israel's strikes on Gaza.")) == [("111", "ISR")]


def test_a_possessor_of_an_arrest_is_who_was_arrested(extract: Extract) -> None:
    x = extract("Imran Khan's arrest sparked protests across Pakistan.")
    arrest = next(e for e in x.events if e.trigger.text == "arrest")
    assert arrest.actor1 is None and arrest.actor2 is not None
    assert arrest.actor2.cameo == "PAKOPP"
    x = extract("The army's killing of civilians sparked outrage.")
    killing = next(e for e in x.events if e.trigger.text == "killing")
    assert killing.actor1 is not None and killing.actor1.type == "state_military"
    x = extract("A U.N. group said that Imran Khan's detention violated international law.")
    assert all(e.actor2 is None for e in x.events if e.cameo_code.startswith("11"))


def test_praise_won_flak_drawn_and_failings_said(extract: Extract) -> None:
    x = extract("Modi won praise from Trump for the deal.", published=AUG_2025)
    assert [(e.cameo_code, e.actor1.cameo if e.actor1 else None) for e in x.events] == [
        ("051", "USAGOV")
    ]
    assert _targets(extract("The minister drew flak from the opposition over his remarks.")) == [
        ("111", "GOV")
    ]
    [(code, target)] = _targets(extract("Kharge said the government had failed the farmers."))
    assert code == "111" and target is not None and target.endswith("GOV")
    assert _facts(extract("The minister said the talks had failed.")) == []


def test_calling_an_accusation_baseless_denies_it(extract: Extract) -> None:
    assert _targets(extract("The BJP called Gandhi's allegations baseless.")) == [("016", "INDOPP")]
    assert _facts(extract("The BJP termed the allegations baseless.")) == [("termed", "016")]
    assert _facts(extract("Gandhi called the move a ploy.")) == [("called", "111")]


def test_a_foreign_forces_violence_targets_the_country_it_happens_in(extract: Extract) -> None:
    assert _targets(extract("Russia has deepened its advance in eastern Ukraine.")) == [
        ("190", "UKR")
    ]
    # a domestic force in its own country has no such target
    assert _targets(extract("Syrian troops shelled rebel positions in Idlib.")) == [
        ("194", "SYRREB")
    ]


def test_the_centre_is_indias_government_only_as_a_name(extract: Extract) -> None:
    x = extract(
        "The Supreme Court sought a response from the Centre on the petition by the Congress "
        "in Delhi.",
        published=AUG_2025,
    )
    assert _targets(x) == [("100", "INDGOV")]
    x = extract("The minister visited the centre of Delhi.", published=AUG_2025)
    assert [e.actor2 for e in x.events] == [None]


def test_falls_and_shares_are_no_rejections_or_aid(extract: Extract) -> None:
    assert _facts(extract("Nifty 50 and Sensex have so far declined about three per cent.")) == []
    assert _facts(extract("Pakistan refused to withdraw its troops.")) == [("refused", "120")]
    assert _facts(extract("The segment contributed 12 per cent of revenue.")) == []
    assert _facts(extract("India contributed troops to the UN mission.")) == [
        ("contributed", "074")
    ]


def test_ties_cut_envoys_recalled_assets_frozen_fire_returned(extract: Extract) -> None:
    assert _targets(extract("Israel has cut all contact with the Palestinian Authority.")) == [
        ("161", "PSEGOV")
    ]
    assert _facts(extract("India has recalled its High Commissioner to Pakistan.")) == [
        ("recalled", "161")
    ]
    assert _facts(extract("The United States froze the assets of three charities.")) == [
        ("froze", "163")
    ]
    assert _facts(extract("Israeli soldiers returned fire.")) == [("returned", "190")]
    assert _facts(extract("Federal police have charged a man over the bombing.")) == [
        ("charged", "173")
    ]
    # the verbs' everyday senses stay uncoded
    assert _facts(extract("The government cut the health budget.")) == []
    assert _facts(extract("The minister returned to Canberra on Monday.")) == []


def test_anti_before_a_name_is_no_membership(extract: Extract) -> None:
    x = extract("Anti-Taliban forces captured the airport at Kandahar.")
    event = next(e for e in x.events if e.factual)
    assert event.actor1 is not None and "TAL" not in (event.actor1.cameo or "")


def test_a_member_of_a_group_takes_the_groups_role(extract: Extract) -> None:
    assert _targets(extract("Police arrested the leader of a rebel group in Manila.")) == [
        ("173", "PHLREB")
    ]
    # a leader with no group named is still government
    assert _targets(extract("Police arrested the opposition leader in Manila.")) == [
        ("173", "PHLOPP")
    ]


def test_coordinated_subjects_of_a_mutual_verb_act_on_each_other(extract: Extract) -> None:
    x = extract("India and Pakistan have exchanged artillery fire across the border.")
    assert [
        (e.cameo_root, e.actor1 and e.actor1.cameo, e.actor2 and e.actor2.cameo)
        for e in x.events
        if e.factual
    ] == [("19", "IND", "PAK")]


def test_armour_rolling_into_a_town_is_force(extract: Extract) -> None:
    x = extract("Israeli tanks rolled into the West Bank city of Ramallah.")
    assert [e.cameo_root for e in x.events if e.factual] == ["19"]
    assert _facts(extract("The storm rolled into town.")) == []


def test_verdicts_sentences_and_demands_to_resign(extract: Extract) -> None:
    assert _facts(extract("A British man has been found guilty of murder.")) == [("found", "116")]
    x = extract("A panel of judges in Dili found 10 militia members guilty of murder.")
    [event] = [e for e in x.events if e.factual]
    assert event.cameo_code == "116" and event.actor1 is not None
    assert event.actor1.type == "judiciary"  # "a panel of judges": the judges
    assert _facts(extract("Police found the body of a man in a river.")) == []
    x = extract("Child protection groups still want the Governor-General to resign.")
    assert _facts(x) == [("want", "1041")]  # the resignation itself is only wished
    assert [e.cameo_code for e in x.events if not e.factual] == ["083"]


def test_light_make_takes_its_objects_act(extract: Extract) -> None:
    assert _facts(extract("Mr Arafat made the commitments in a speech on television.")) == [
        ("made", "030")
    ]
    assert _facts(extract("The company made a profit of $3 million.")) == []


def test_states_of_mind_and_claims_to_know_are_no_acts(extract: Extract) -> None:
    x = extract("Residents said they felt threatened by the workers.")
    assert _facts(x) == []
    assert _facts(extract("A defector claims he has information about weapons plants.")) == []
    x = extract("The group claimed it attacked the convoy.")
    assert [e.modality for e in x.events] == ["alleged"]


def test_new_roles_banks_criminals_advocacy_groups(extract: Extract) -> None:
    x = extract("The Argentine President asked the country's banks to stay open.")
    assert _targets(x) == [("020", "ARGBUS")]
    x = extract("Indonesian police arrested two people smugglers in Kupang.")
    assert _targets(x) == [("173", "IDNCRM")]


def test_must_and_should_in_reported_speech_are_demands_and_appeals(extract: Extract) -> None:
    x = extract("The UN said Israel must withdraw its troops from Ramallah.")
    assert _targets(x) == [("100", "ISR")]
    assert [e.cameo_code for e in x.events if not e.factual] == ["0874"]
    assert _facts(extract("Labor says the Government should cut its own spending.")) == [
        ("says", "020")
    ]
    assert _facts(extract("The minister said we must work harder.")) == []


def test_verdict_content_and_natural_agents_are_no_acts(extract: Extract) -> None:
    assert _facts(extract("A judge found the men guilty of killing two nuns.")) == [
        ("found", "116")
    ]
    assert _facts(extract("Thirteen buildings were destroyed by fire on Monday night.")) == []
    x = extract("A United Nations panel of judges found the militia members guilty of murder.")
    assert [e.actor1.cameo for e in x.events if e.factual and e.actor1] == ["IGOUNO"]


def test_a_place_named_but_unknown_is_not_the_storys_place(extract: Extract) -> None:
    # "Kwarabandi" is in no gazetteer: the bombing there is not placed in Maiduguri, but in the
    # state named beside it, at a province's precision
    x = extract(
        "Two women detonated explosives at a market in Maiduguri on Sunday. "
        "The attack came two days after a bomber blew himself up at a market in Kwarabandi, "
        "in neighbouring Adamawa state."
    )
    places = {
        e.trigger.text.split()[0]: (e.place.name, e.place.geo_precision) if e.place else None
        for e in x.events
    }
    assert places["detonated"] == ("Maiduguri", 1)
    assert places["blew"] == ("Adamawa", 3)


def test_a_village_the_gazetteer_knows_is_the_place(extract: Extract) -> None:
    x = extract(
        "Two women detonated explosives at a market in Maiduguri on Sunday. "
        "The attack came two days after a bomber blew himself up at a market in Madagali, "
        "in neighbouring Adamawa state."
    )
    blew = next(e for e in x.events if e.trigger.text.startswith("blew"))
    assert blew.place is not None
    assert (blew.place.name, blew.place.country_code) == ("Madagali", "NG")


def test_an_unnamed_armed_actor_takes_the_side_named_before(extract: Extract) -> None:
    x = extract(
        "Israeli troops raided the Palestinian town of Jenin on Sunday. "
        "Palestinian gunmen threw grenades at the soldiers, and the tanks fired two shells "
        "into the building."
    )
    pairs = {
        (e.trigger.text.split()[0], e.actor1.cameo if e.actor1 else None)
        for e in x.events
        if e.factual
    }
    assert ("threw", "PSEUAF") in pairs and ("fired", "ISRMIL") in pairs


def test_an_organisations_name_is_no_place(extract: Extract) -> None:
    x = extract("Hamas issued a statement vowing to continue its war against Israel.")
    assert all(e.place is None or e.place.name != "Hamas" for e in x.events)
    # a capital standing for its government is still a place
    x = extract("Lithuania's minister began a trip to Washington on Monday.")
    assert [e.place.name for e in x.events if e.place] == ["Washington"]


def test_whom_a_state_arrests_is_in_its_jurisdiction(extract: Extract) -> None:
    x = extract(
        "Indian troops shot dead eight militants in Kashmir. "
        "Pakistani police arrested more than two dozen militants from extremist groups."
    )
    assert ("173", "PAKREB") in _targets(x)


def test_only_a_bomb_exploding_is_a_bombing(extract: Extract) -> None:
    assert _facts(extract("A bomb exploded outside a police station in Srinagar.")) == [
        ("exploded", "183")
    ]
    assert _facts(extract("A fireworks cache exploded in a shop in Lima.")) == []


def test_force_used_and_operations_stepped_up(extract: Extract) -> None:
    x = extract("Police used teargas to disperse thousands of protesters in Buenos Aires.")
    assert ("used", "175") in _facts(x)
    assert _facts(extract("The minister used the opportunity to praise the army.")) == []
    x = extract(
        "Israeli authorities said they were stepping up military operations against the "
        "Palestinian Authority."
    )
    assert [e.cameo_code for e in x.events if e.factual] == ["190"]
    # a state's advice that something "should be" so asks no act of anyone
    x = extract("The Government says it should be safe for asylum seekers to return home.")
    assert _facts(x) == []


def test_the_sources_city_is_not_where_it_happened(extract: Extract) -> None:
    x = extract("Reports from London say United States army officers have entered Somalia.")
    [event] = [e for e in x.events if e.factual]
    assert event.place is not None and event.place.name == "Somalia"  # violence done in it
    x = extract("A military source in Damascus said troops recaptured the town.")
    assert [e.place for e in x.events if e.factual] == [None]


def test_contacts_broken_off_and_motions_still_to_come(extract: Extract) -> None:
    assert _facts(extract("Israel broke off contacts with the Palestinian Authority.")) == [
        ("broke", "161")
    ]
    x = extract("The senator intends to move a motion today condemning the Government.")
    assert _facts(x) == []  # the motion, and what it says, are still to come
    x = extract("The Senate passed a motion condemning the Government.")
    assert _facts(x) == [("condemning", "111")]


def test_a_record_of_many_acts_is_no_event(extract: Extract) -> None:
    assert _facts(extract("Hamas has carried out numerous suicide bombings in Israel.")) == []
    x = extract("Israeli jets carried out several air strikes on Gaza on Sunday.")
    assert [code[:2] for _, code in _facts(x)] == ["19"]


def test_troops_arriving_house_arrest_lists_and_harbouring(extract: Extract) -> None:
    x = extract("Australian troops arrived in Afghanistan this morning.")
    assert _facts(x) == [("arrived", "154")]
    assert _facts(extract("The delegation arrived in Doha on Sunday.")) == []  # a visit, no troops
    x = extract("Palestinian police put Sheikh Ahmed Yassin under house arrest.")
    assert _facts(x) == [("put", "173")]
    x = extract("The Government placed the group on its list of terrorist organisations.")
    assert _facts(x) == [("placed", "160")]
    x = extract("The group is harbouring up to 150 al-Qaida members in villages.")
    assert _facts(x) == [("harbouring", "075")]
    assert _facts(extract("The minister harbours doubts about the plan.")) == []


def test_police_facing_a_crowd_and_suspended_applications(extract: Extract) -> None:
    x = extract("Hundreds of police confronted 3,000 Hamas supporters in Gaza.")
    [event] = [e for e in x.events if e.factual]
    assert event.cameo_code == "175"
    assert event.actor1 is not None and event.actor1.cameo == "PSECOP"  # what "hundreds" count
    x = extract("The Government has suspended their applications for asylum.")
    assert _facts(x) == [("suspended", "172")]


def test_a_state_announces_what_its_own_forces_will_do(extract: Extract) -> None:
    x = extract("Israel said its troops would attack Hamas.")
    [statement] = [e for e in x.events if e.factual]
    assert statement.cameo_code.startswith("138") and statement.trigger.text == "said"
    # someone else's forces: a report, not a threat of the speaker's
    x = extract("Pakistan said India would attack its posts.")
    assert [e for e in x.events if e.factual] == []


def test_a_claim_of_what_was_done_to_oneself_is_an_accusation(extract: Extract) -> None:
    x = extract("An Iraqi doctor claims he was prevented from receiving a human rights award.")
    assert _facts(x) == [("claims", "112")]
    x = extract("Hamas claimed it carried out the attack.")
    assert _facts(x) == [("claimed", "015")]  # its own act: responsibility taken


def test_being_somewhere_during_an_attack_tells_no_attack(extract: Extract) -> None:
    x = extract("But the President was at another home in the capital during the attack.")
    assert _facts(x) == []
    x = extract("The minister held talks with rebel leaders during a visit to Kabul.")
    assert [code[:2] for _, code in _facts(x)] == ["04", "04"]


def test_a_preposition_parsed_as_a_particle_keeps_the_bare_verb(extract: Extract) -> None:
    x = extract("Bush marked the day by calling on his allies to freeze the assets of two groups.")
    assert ("calling", "020") in _facts(x)


def test_a_passive_retained_object_and_a_pronoun_patient(extract: Extract) -> None:
    x = extract("They were given jail terms of up to 33 years for their part in a massacre.")
    assert [code for _, code in _facts(x)] == ["173"]


def test_armed_subjects_attack_and_accompanying_participles(extract: Extract) -> None:
    x = extract("Israeli helicopters have again attacked Palestinian targets in the Gaza Strip.")
    assert [code[:2] for _, code in _facts(x)] == ["19"]
    assert _facts(extract("The campaign attacked targets for inflation.")) == []  # figurative
    # the accusation beside a denial is made, not denied
    x = extract("Militant groups denied involvement in the attack, accusing Indian intelligence.")
    facts = [(e.cameo_code, e.actor2.cameo if e.actor2 else None) for e in x.events if e.factual]
    assert ("112", "INDSPY") in facts


def test_wants_blame_regret_and_quick_to(extract: Extract) -> None:
    assert _facts(extract("Mr Ferguson wants the Senate to call a review.")) == [("wants", "020")]
    # a misparse hangs one "wants" clause on another: wanting peace asks nothing of anyone
    x = extract('"Pakistan wants peace, Pakistan wants to reduce tension," he said.')
    assert _facts(x) == []
    x = extract("The Foreign Minister has expressed concern about a man arrested in India.")
    assert _facts(x) == [("expressed", "012")]
    x = extract("Sharon met his cabinet after placing blame for the attacks on Yasser Arafat.")
    assert ("placing", "112") in _facts(x)
    x = extract("Pakistan regrets the Indian decision to downgrade embassy representation.")
    assert ("regrets", "110") in _facts(x)
    x = extract("The Israeli Government has expressed regret over the deaths.")
    assert _facts(x) == [("expressed", "018")]
    x = extract("Unions have been quick to express their dissatisfaction.")
    assert _facts(x) == [("express", "111")]


def test_police_repression_and_means_verbs(extract: Extract) -> None:
    x = extract("Four people died in clashes between police and protesters in Buenos Aires.")
    assert [e.cameo_code for e in x.events if e.factual] == ["175"]
    x = extract("Coalition aircraft used precision-guided weapons to strike Iraqi positions.")
    [event] = [e for e in x.events if e.factual]
    assert event.cameo_code.startswith("19") and event.actor1 is not None
    assert event.actor1.name != "precision-guided weapons"  # the aircraft strike, not the means


def test_forces_moving_into_a_place_occupy_it(extract: Extract) -> None:
    x = extract("Israeli forces moved back into a suburb of Nablus on Monday.")
    assert [code for _, code in _facts(x)] == ["192"]
    x = extract("Tanks also returned to a West Bank village.")
    assert [code for _, code in _facts(x)] == ["192"]  # an occupation with tanks is no shelling
    assert _facts(extract("The company moved into new offices.")) == []
    assert _facts(extract("The family returned to their village after the war.")) == []


def test_travelling_for_talks_is_a_visit(extract: Extract) -> None:
    x = extract("The minister flew to Beijing for talks with his counterpart.")
    assert [code for _, code in _facts(x)] == ["042"]
    assert _facts(extract("The family travelled to Perth for Christmas.")) == []


def test_existential_nouns_and_death_tolls_happened(extract: Extract) -> None:
    x = extract("There were clashes between police and protesters in the capital overnight.")
    assert [code for _, code in _facts(x)] == ["175"]
    x = extract("There will be talks in Geneva next week.")
    assert [e.modality for e in x.events] == ["future"]
    x = extract("The death toll in Argentina's food riots has risen to 20.")
    assert [code[:2] for _, code in _facts(x)] == ["14"]
    assert _facts(extract("There is no threat of an attack.")) == []


def test_a_us_state_is_a_place_and_a_locative_place_beats_a_name(extract: Extract) -> None:
    x = extract("Several people have been shot at a factory in Indiana.")
    [event] = [e for e in x.events if e.factual]
    assert event.place is not None and event.place.name == "Indiana"
    assert event.place.geo_precision == 3 and event.place.country_code == "US"
    assert event.place.latitude is not None  # the mean of its cities
    x = extract("Milan was arrested in Kathmandu on Monday.")
    [event] = [e for e in x.events if e.factual]
    assert event.place is not None and event.place.name == "Kathmandu"


def test_a_big_city_after_the_capital_is_a_place_whatever_ner_says(extract: Extract) -> None:
    x = extract(
        "Four more people died in clashes between police and protesters near the presidential"
        " palace in the capital, Buenos Aires."
    )
    [event] = [e for e in x.events if e.factual]
    assert event.place is not None and event.place.name == "Buenos Aires"


def test_a_place_measured_from_is_not_where(extract: Extract) -> None:
    x = extract("The warplanes bombed areas in Basra province, 330 miles south of Baghdad.")
    [event] = [e for e in x.events if e.factual]
    assert event.place is not None and event.place.name == "Basra province"
    x = extract("Rebels attacked a checkpoint 20 km south of Aleppo.")
    [event] = [e for e in x.events if e.factual]
    assert event.place is not None and event.place.name == "Aleppo"  # nothing else named


def test_a_question_put_is_no_appeal(extract: Extract) -> None:
    x = extract("Asked if they had received adequate training, they said they had.")
    assert _facts(x) == []
    assert _facts(extract("The UN asked Israel to withdraw.")) == [("asked", "020")]


def test_calling_for_someone_to_act_and_a_nationality_is_no_place(extract: Extract) -> None:
    x = extract("The Palestinian leadership is calling for US peace envoy Anthony Zinni to return.")
    [event] = [e for e in x.events if e.factual]
    assert event.cameo_code[:2] == "02"
    # "US" names the envoy, not where: only the story's country, from the speakers' nationality
    assert event.place is not None
    assert (event.place.country_code, event.place.geo_precision) == ("PS", 4)
    x = extract("Dr Aamer Sultan had been awarded a special commendation in Sydney.")
    assert _facts(x) == [("awarded", "051")]


def test_the_country_hit_by_a_foreign_force_is_the_target(extract: Extract) -> None:
    x = extract("Russian jets bombed Ukrainian positions overnight.")
    [event] = [e for e in x.events if e.factual]
    assert event.actor2 is not None and event.actor2.cameo == "UKR"
    x = extract("Israeli tanks launched two incursions in the Gaza Strip.")
    [event] = [e for e in x.events if e.factual]
    assert event.actor2 is not None and event.actor2.cameo == "PSE"
    x = extract("Israeli jets carried out a drone attack on Kyiv.")  # a city is where, not whom
    assert all(e.actor2 is None for e in x.events if e.factual)
