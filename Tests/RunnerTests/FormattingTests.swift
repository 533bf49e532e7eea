import Figures
import Testing
@testable import Runner

/// Values as pages write them: decimal comma and "sí" in Spanish.
@Suite struct FormattingTests {
    @Test func probabilitiesArePercentagesInThePagesFormat() {
        #expect(ResultValue.probability(0.98919).formatted(.spanish) == "98,9\u{00A0}%")
        #expect(ResultValue.probability(0.98919).formatted(.english) == "98.9%")
        #expect(ResultValue.probability(0.0000123).formatted(.english) == "0.001%")
    }

    @Test func numbersUseTheDecimalSeparatorOfTheLanguage() {
        #expect(ResultValue.seconds(57.666).formatted(.spanish) == "57,67")
        #expect(ResultValue.seconds(57.666).formatted(.english) == "57.67")
        #expect(ResultValue.decimal(0.98765, places: 4).formatted(.spanish) == "0,9877")
        #expect(ResultValue.count(1394).formatted(.spanish) == "1394")
        #expect(ResultValue.decibels(41.26).formatted(.spanish) == "41,3")
        #expect(ResultValue.decibels(nil).formatted(.english) == "∞")
    }

    @Test func boundsAreWrittenAsSimplyAsTheyAllow() {
        #expect(ResultValue.compact(2).formatted(.spanish) == "2")
        #expect(ResultValue.compact(1.28).formatted(.spanish) == "1,28")
        #expect(ResultValue.compact(0.01).formatted(.english) == "0.01")
        #expect(ResultValue.compact(2.0 / 255 * 255).formatted(.english) == "2")
    }

    @Test func yesAndNoAreTranslated() {
        #expect(ResultValue.yesNo(true).formatted(.spanish) == "sí")
        #expect(ResultValue.yesNo(false).formatted(.spanish) == "no")
        #expect(ResultValue.yesNo(true).formatted(.english) == "yes")
    }

    @Test func lessonLanguagesMapToFigureLanguages() {
        #expect(FigureLanguage(lessonLanguage: "es") == .spanish)
        #expect(FigureLanguage(lessonLanguage: "es-mx") == .spanish)
        #expect(FigureLanguage(lessonLanguage: "en") == .english)
        #expect(FigureLanguage(lessonLanguage: "fr") == .english)
    }

    @Test func methodNamesReadNaturally() {
        #expect(MethodNames.display("talk", language: .spanish) == "Ataque de la charla")
        #expect(MethodNames.display("cw", language: .english) == "C&W")
        #expect(MethodNames.model("lite2") == "EfficientNet-Lite2")
        #expect(MethodNames.shortModel("lite0") == "Lite0")
    }

    @Test func theTalksBoundIsWrittenInThePagesLanguage() {
        #expect(MethodNames.boundPhrase("0.01 model units", language: .spanish) == "±0,01 en unidades de la red")
        #expect(MethodNames.boundPhrase("0.01 model units", language: .english) == "±0.01 in model units")
        #expect(MethodNames.boundPhrase("2/255", language: .spanish) == "ε = 2/255")
    }
}
