"""English texts of the built-in questionnaires, shown when the interface is English.

The built-in versions (no organisation) are stored in Russian, as `builtin.py` words them. Their
titles, introductions, section headings, questions, hints and option labels are keyed here by
the Russian text: the same words («Да», «Раз в неделю», a topic of the shared vocabulary) read
the same in every questionnaire. A copy an organisation made is its own and reads as entered;
so does an answer. One place decides: `text`.
"""

from __future__ import annotations

from nastavnik.catalogue.english import FORMS
from nastavnik.core.language import reads_english

_SCALE_INTRO = (
    "Rate the statements on a scale from 1 to 10, where 1 is the lowest and 10 the highest."
)

_DAYS = {
    "Понедельник": "Monday",
    "Вторник": "Tuesday",
    "Среда": "Wednesday",
    "Четверг": "Thursday",
    "Пятница": "Friday",
    "Суббота": "Saturday",
}
_PARTS = {"утро": "morning", "день": "afternoon", "вечер": "evening"}

_FORM_NAMES = {
    "Ученик – ученик": FORMS["student-student"]["name"],
    "Учитель – учитель": FORMS["teacher-teacher"]["name"],
    "Учитель – ученик": FORMS["teacher-student"]["name"],
    "Студент – ученик": FORMS["student-pupil"]["name"],
    "Работодатель – ученик": FORMS["employer-pupil"]["name"],
    "Работодатель – студент": FORMS["employer-student"]["name"],
}

TEXTS: dict[str, str] = {
    # Shared options
    "Помощь с учебным предметом": "Help with a school subject",
    "Подготовка к ОГЭ или ЕГЭ": "Preparing for the state exams (OGE or EGE)",
    "Привыкнуть к новому классу или школе": "Settling in at a new class or school",
    "Лидерские и организаторские навыки": "Leadership and organising skills",
    "Общение и уверенность в себе": "Communication and self-confidence",
    "Выбор профессии": "Choosing a profession",
    "Проект или исследовательская работа": "A project or research work",
    "Олимпиады и конкурсы": "Olympiads and competitions",
    "Творчество, спорт, увлечения": "Arts, sport, hobbies",
    "Цифровые навыки": "Digital skills",
    "Профессиональный рост молодого педагога": "Professional growth of a young teacher",
    "Методика преподавания и подготовка уроков": "Teaching methods and lesson preparation",
    "Классное руководство и работа с родителями": "Form tutoring and work with parents",
    "Математика": "Mathematics",
    "Русский язык": "Russian language",
    "Литература": "Literature",
    "Английский язык": "English language",
    "История": "History",
    "Обществознание": "Social studies",
    "Физика": "Physics",
    "Химия": "Chemistry",
    "Биология": "Biology",
    "География": "Geography",
    "Информатика": "Computer science",
    "Робототехника": "Robotics",
    "Программирование": "Programming",
    "Технология": "Technology",
    "Искусство и музыка": "Art and music",
    "Физическая культура": "Physical education",
    "Очно": "In person",
    "Дистанционно": "Remotely",
    "Очно или дистанционно — неважно": "In person or remotely, either is fine",
    "Да": "Yes",
    "Нет": "No",
    "Затрудняюсь ответить": "Hard to say",
    "Да, полностью": "Yes, fully",
    "Частично": "Partly",
    "Чаще раза в неделю": "More than once a week",
    "Раз в неделю": "Once a week",
    "Раз в две недели": "Once every two weeks",
    "Раз в месяц": "Once a month",
    "Реже раза в месяц": "Less than once a month",
    "Можно выбрать несколько вариантов.": "You may choose several options.",
    "Отметьте все подходящие варианты.": "Tick every option that suits you.",
    # Mentee application
    "Анкета наставляемого": "Mentee application",
    "Эта анкета поможет подобрать вам наставника — человека, который поддержит вас в учёбе, "
    "в новом коллективе, в выборе профессии или в собственном проекте. Правильных и "
    "неправильных ответов нет: отвечайте так, как есть. Ответы увидит только куратор "
    "программы наставничества.": "This questionnaire helps to find you a mentor: a person who "
    "will support you in your studies, in a new group, in choosing a profession or in a project "
    "of your own. There are no right or wrong answers: answer as things are. Only the curator of "
    "the mentoring programme will see your answers.",
    "Ваш запрос": "Your request",
    "С чем вам хотелось бы получить помощь наставника?": "What would you like a mentor to help "
    "you with?",
    "По каким предметам нужна помощь?": "Which subjects do you need help with?",
    "Расскажите своими словами, чего вы ждёте от работы с наставником": "Tell us in your own "
    "words what you expect from working with a mentor",
    "Например: «хочу подтянуть геометрию к экзамену», «хочу научиться выступать перед классом», "
    "«хочу понять, какую профессию выбрать».": "For example: “I want to improve my geometry "
    "before the exam”, “I want to learn to speak in front of the class”, “I want to understand "
    "which profession to choose”.",
    "Как вам удобно заниматься": "How you prefer to work",
    "Когда вам удобно встречаться с наставником?": "When is it convenient for you to meet your "
    "mentor?",
    "Как вам удобнее встречаться?": "How would you rather meet?",
    "Кого вы хотели бы видеть своим наставником?": "Whom would you like as your mentor?",
    "Старшеклассника": "A senior pupil",
    "Учителя": "A teacher",
    "Студента колледжа или вуза": "A college or university student",
    "Специалиста, представителя предприятия": "A specialist, a company representative",
    "Мне всё равно": "I do not mind",
    "Другое": "Other",
    "Кого именно?": "Whom exactly?",
    "Немного о вас": "A little about you",
    "Чем вы увлекаетесь в свободное время?": "What do you enjoy doing in your free time?",
    "Что у вас хорошо получается?": "What are you good at?",
    "Был ли у вас раньше наставник?": "Have you had a mentor before?",
    "Что в той работе было самым полезным?": "What was most useful in that work?",
    # Mentor application
    "Анкета наставника": "Mentor application",
    "Спасибо, что готовы поделиться своим опытом! Анкета поможет понять, кому и в чём вы можете "
    "помочь, и подобрать вам наставляемого с подходящим запросом. Заполнение займёт около "
    "десяти минут.": "Thank you for being ready to share your experience! The questionnaire "
    "helps to understand whom and with what you can help, and to find you a mentee with a "
    "matching request. It takes about ten minutes.",
    "Опыт и компетенции": "Experience and competences",
    "В чём вы можете помочь наставляемому?": "What can you help a mentee with?",
    "Какие предметы или направления вы можете вести?": "Which subjects or fields can you teach?",
    "Ваш стаж работы по профессии, полных лет": "Your years of work in your profession, full years",
    "Если вы учитесь — сколько лет вы занимаетесь тем, чему готовы научить.": "If you are a "
    "student: how many years you have been doing what you are ready to teach.",
    "Был ли у вас опыт наставничества?": "Have you mentored before?",
    "Расскажите коротко: кого и в чём вы сопровождали, что получилось?": "Tell us briefly: whom "
    "did you support and with what, and how did it go?",
    "Ваши сильные стороны и достижения, которыми вы гордитесь": "Your strengths and the "
    "achievements you are proud of",
    "Время и формат": "Time and format",
    "Сколько часов в месяц вы готовы уделять наставничеству?": "How many hours a month can you "
    "give to mentoring?",
    "Когда вам удобно встречаться?": "When is it convenient for you to meet?",
    "В каком формате вам удобнее работать?": "Which format suits you better?",
    "В каких формах наставничества вы готовы участвовать?": "Which forms of mentoring are you "
    "ready to take part in?",
    "Скольких наставляемых вы готовы сопровождать одновременно?": "How many mentees can you "
    "support at the same time?",
    "Одного": "One",
    "Двоих": "Two",
    "Группу (трое и больше)": "A group (three or more)",
    "Мотивация": "Motivation",
    "Почему вы хотите стать наставником?": "Why do you want to become a mentor?",
    "Что вы ждёте от участия в программе для себя?": "What do you expect to gain from the "
    "programme yourself?",
    "Хотели бы вы пройти обучение в школе наставника?": "Would you like to be trained at the "
    "mentors' school?",
    "Обучение уже пройдено": "I have already been trained",
    "Согласны ли вы, чтобы вашу анкету видели другие образовательные организации, которые ищут "
    "наставников?": "Do you agree that other educational organisations looking for mentors may "
    "see your application?",
    "Нет, только наша организация": "No, only our organisation",
    # Preferences after the group meeting
    "Анкета наставляемого после групповой встречи": "Mentee questionnaire after the group meeting",
    "Вы познакомились с наставниками на групповой встрече. Отметьте, с кем из них вам хотелось "
    "бы работать. Куратор постарается учесть ваш выбор; пары формируются с учётом пожеланий "
    "всех участников.": "You met the mentors at the group meeting. Mark whom you would like to "
    "work with. The curator will try to take your choice into account; pairs are formed with "
    "the wishes of all participants in mind.",
    "Кого из наставников вы хотели бы видеть своим наставником?": "Which of the mentors would "
    "you like as your mentor?",
    "Выберите до трёх человек. На первое место — того, с кем хотелось бы работать больше "
    "всего.": "Choose up to three people. Put first the one you would most like to work with.",
    "Насколько комфортно вам было на групповой встрече?": "How comfortable did you feel at the "
    "group meeting?",
    "1 — совсем некомфортно, 10 — очень комфортно.": "1 is not comfortable at all, 10 is very "
    "comfortable.",
    "Почему вы выбрали именно их?": "Why did you choose them?",
    "Есть ли что-то, о чём куратору важно знать при подборе пары?": "Is there anything the "
    "curator should know when forming the pair?",
    "Анкета наставника после групповой встречи": "Mentor questionnaire after the group meeting",
    "Вы познакомились с наставляемыми на групповой встрече. Отметьте, с кем из них вам хотелось "
    "бы работать. Куратор постарается учесть ваш выбор; пары формируются с учётом пожеланий "
    "всех участников.": "You met the mentees at the group meeting. Mark whom you would like to "
    "work with. The curator will try to take your choice into account; pairs are formed with "
    "the wishes of all participants in mind.",
    "С кем из наставляемых вы хотели бы работать?": "Which of the mentees would you like to "
    "work with?",
    "Насколько полезной была для вас групповая встреча?": "How useful was the group meeting for "
    "you?",
    "1 — совсем бесполезной, 10 — очень полезной.": "1 is not useful at all, 10 is very useful.",
    # Satisfaction
    "Оцените утверждения по шкале от 1 до 10, где 1 — самая низкая оценка, 10 — самая "
    "высокая.": _SCALE_INTRO,
    "Анкета удовлетворённости наставника": "Mentor satisfaction questionnaire",
    "Анкета помогает оценить, как проходит программа наставничества, и понять, что в ней "
    "улучшить. Оцените утверждения по шкале от 1 до 10, где 1 — самая низкая оценка, 10 — "
    "самая высокая.": "The questionnaire helps to see how the mentoring programme is going and "
    "what to improve in it. " + _SCALE_INTRO,
    "Оценка программы": "Rating the programme",
    "Насколько эффективной, на ваш взгляд, оказалась программа наставничества?": "How effective, "
    "in your view, was the mentoring programme?",
    "Насколько комфортным было общение с наставляемым?": "How comfortable was communicating with "
    "your mentee?",
    "Насколько полезными были личные встречи с наставляемым?": "How useful were the one-to-one "
    "meetings with your mentee?",
    "Насколько полезными были групповые встречи?": "How useful were the group meetings?",
    "Насколько вы ощущали поддержку куратора программы?": "How much did you feel supported by "
    "the programme curator?",
    "Насколько понятно было, что от вас ожидается как от наставника?": "How clear was it what "
    "was expected of you as a mentor?",
    "Насколько полезным было обучение в школе наставника?": "How useful was the training at the "
    "mentors' school?",
    "Насколько удобно была организована работа: время, место, формат встреч?": "How convenient "
    "was the organisation of the work: time, place, format of meetings?",
    "Насколько оправдались ваши ожидания от участия в программе?": "How far were your "
    "expectations of the programme met?",
    "Насколько заметен, на ваш взгляд, прогресс вашего наставляемого?": "How visible, in your "
    "view, is your mentee's progress?",
    "Ваш опыт": "Your experience",
    "Как часто проходили ваши встречи с наставляемым?": "How often did you meet your mentee?",
    "Как часто проходили ваши встречи с наставником?": "How often did you meet your mentor?",
    "Что вы ожидали от программы и от своей роли в ней?": "What did you expect from the "
    "programme and from your role in it?",
    "Что было для вас самым ценным?": "What was most valuable for you?",
    "Чего вам не хватило? Что бы вы изменили в программе?": "What was missing? What would you "
    "change in the programme?",
    "Рады ли вы, что участвовали в программе наставничества?": "Are you glad you took part in "
    "the mentoring programme?",
    "Хотели бы вы продолжить работу в программе наставничества?": "Would you like to continue "
    "in the mentoring programme?",
    "Что могло бы изменить ваше решение?": "What could change your decision?",
    "Анкета удовлетворённости наставляемого": "Mentee satisfaction questionnaire",
    "Анкета помогает оценить, как проходит программа наставничества, и понять, что в ней "
    "улучшить. Она анонимна, если куратор не сказал иначе. Оцените утверждения по шкале от 1 "
    "до 10, где 1 — самая низкая оценка, 10 — самая высокая.": "The questionnaire helps to see "
    "how the mentoring programme is going and what to improve in it. It is anonymous unless the "
    "curator has said otherwise. " + _SCALE_INTRO,
    "Насколько полезной для вас оказалась работа с наставником?": "How useful was working with "
    "your mentor?",
    "Насколько комфортным было общение с наставником?": "How comfortable was communicating with "
    "your mentor?",
    "Насколько полезными и интересными были личные встречи с наставником?": "How useful and "
    "interesting were the one-to-one meetings with your mentor?",
    "Насколько полезными и интересными были групповые встречи?": "How useful and interesting "
    "were the group meetings?",
    "Насколько вы ощущали поддержку наставника?": "How much did you feel supported by your mentor?",
    "Насколько понятно было, что от вас ожидается?": "How clear was it what was expected of you?",
    "Насколько удобными были время и место встреч?": "How convenient were the time and place of "
    "the meetings?",
    "Насколько оправдались ваши ожидания?": "How far were your expectations met?",
    "Насколько вы продвинулись в том, ради чего пришли в программу?": "How far did you get with "
    "what you came to the programme for?",
    "Дальше": "Next",
    "Хотели бы вы в будущем сами стать наставником?": "Would you like to become a mentor "
    "yourself one day?",
    "В чём вы могли бы помочь другим?": "What could you help others with?",
    # Curator's conformity
    "Анкета куратора: соответствие программы наставничества целевой модели": "Curator's "
    "questionnaire: conformity of the mentoring programme to the target model",
    "Анкету заполняет куратор программы наставничества. Отметьте, насколько выполнено каждое "
    "условие целевой модели в вашей организации. Ответы на открытые вопросы в конце анкеты — "
    "основа SWOT-анализа программы.": "The curator of the mentoring programme fills in this "
    "questionnaire. Mark how far each condition of the target model is met in your "
    "organisation. The answers to the open questions at the end are the basis of the "
    "programme's SWOT analysis.",
    "Нормативная база и организация": "Regulations and organisation",
    "Положение о наставничестве утверждено и опубликовано на сайте организации": "The mentoring "
    "regulation is approved and published on the organisation's website",
    "Программа наставничества и дорожная карта на учебный год утверждены приказом": "The "
    "mentoring programme and the roadmap for the academic year are approved by an order",
    "Куратор назначен приказом, его обязанности определены": "The curator is appointed by an "
    "order and their duties are defined",
    "Участники и родители проинформированы о программе: собрания, сайт, социальные сети": "The "
    "participants and parents are informed about the programme: meetings, website, social media",
    "Согласия участников на обработку персональных данных получены": "The participants' "
    "consents to the processing of personal data are obtained",
    "Базы наставников и наставляемых, пары": "Mentor and mentee bases, pairs",
    "Сформирована база наставляемых с их запросами": "The mentee base with their requests is "
    "formed",
    "Сформирована база наставников": "The mentor base is formed",
    "Наставники прошли обучение в школе наставника": "The mentors are trained at the mentors' "
    "school",
    "Пары и группы сформированы с учётом запросов наставляемых и пожеланий участников": "Pairs "
    "and groups are formed with the mentees' requests and the participants' wishes in mind",
    "У каждой пары или группы есть индивидуальный план развития": "Every pair or group has an "
    "individual development plan",
    "Мониторинг и открытость": "Monitoring and openness",
    "Проводится мониторинг: анкеты удовлетворённости, входная и выходная диагностика "
    "участников": "Monitoring is carried out: satisfaction questionnaires, entry and exit "
    "assessment of the participants",
    "Реестр наставников, лучшие практики и новости программы публикуются на сайте": "The mentor "
    "registry, the best practices and the programme's news are published on the website",
    "Наставников поощряют: грамоты, благодарности, конкурсы": "Mentors are rewarded: "
    "certificates, letters of thanks, competitions",
    "Оцените в целом, насколько программа соответствует целевой модели наставничества": "Rate "
    "overall how far the programme conforms to the target mentoring model",
    "SWOT-анализ": "SWOT analysis",
    "Сильные стороны программы": "Strengths of the programme",
    "Слабые стороны программы": "Weaknesses of the programme",
    "Возможности: что может помочь развитию программы": "Opportunities: what can help the "
    "programme develop",
    "Угрозы: что может помешать программе": "Threats: what can hinder the programme",
    # Entry and exit assessment
    "Входная и выходная диагностика участника": "Entry and exit assessment of a participant",
    "Анкету заполняют дважды: в начале участия в программе наставничества и по её итогам. "
    "Сравнение ответов покажет, что изменилось. Оцените утверждения по шкале от 1 до 10, где "
    "1 — самая низкая оценка, 10 — самая высокая.": "The questionnaire is filled in twice: at "
    "the start of taking part in the mentoring programme and at its end. Comparing the answers "
    "shows what has changed. " + _SCALE_INTRO,
    "Самооценка": "Self-assessment",
    "Насколько вам интересно то, чем вы занимаетесь в школе (на работе)?": "How interesting is "
    "what you do at school (at work)?",
    "1 — совсем неинтересно, 10 — очень интересно.": "1 is not interesting at all, 10 is very "
    "interesting.",
    "Как часто вы сами проявляете инициативу: предлагаете идеи, участвуете в делах класса или "
    "коллектива?": "How often do you take the initiative yourself: suggest ideas, take part in "
    "the affairs of your class or team?",
    "1 — никогда, 10 — постоянно.": "1 is never, 10 is all the time.",
    "Насколько вы уверены в своих силах?": "How confident are you in your abilities?",
    "1 — совсем нет уверенности, 10 — полная уверенность.": "1 is no confidence at all, 10 is "
    "full confidence.",
    "Как часто вы испытываете тревогу или напряжение из-за учёбы (работы)?": "How often do you "
    "feel anxious or tense because of your studies (work)?",
    "1 — почти никогда, 10 — почти всегда.": "1 is almost never, 10 is almost always.",
    "Насколько вам хочется узнавать новое и добиваться лучших результатов?": "How much do you "
    "want to learn new things and achieve better results?",
    "1 — совсем не хочется, 10 — очень хочется.": "1 is not at all, 10 is very much.",
    "Результаты": "Results",
    "Можно не заполнять, если вы не знаете точных чисел: их внесёт куратор.": "You may leave "
    "this blank if you do not know the exact figures: the curator will enter them.",
    "Средний балл за последнюю четверть (триместр, полугодие)": "Average mark for the last term "
    "(trimester, half-year)",
    "Число от 2 до 5, например 4,3.": "A number from 2 to 5, for example 4.3.",
    "Доля посещённых занятий за последнюю четверть, %": "Share of lessons attended in the last "
    "term, %",
    "В скольких конкурсах, олимпиадах и проектах вы участвовали за последние полгода?": "How "
    "many competitions, olympiads and projects have you taken part in over the last six months?",
    **_FORM_NAMES,
    **{
        f"{day}, {part}": f"{english_day}, {english_part}"
        for day, english_day in _DAYS.items()
        for part, english_part in _PARTS.items()
    },
}


def text(stored: str, *, builtin: bool) -> str:
    """A text of a questionnaire as the reader's language shows it: English for a built-in
    questionnaire when the interface is English, else as stored."""
    if not builtin or not stored or not reads_english():
        return stored
    return TEXTS.get(stored, stored)
