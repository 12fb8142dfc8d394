console.log("store")
