print("trilobite")
